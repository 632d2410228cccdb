package io.dic4j.weights;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.dic4j.model.FeedbackHourglass;
import io.dic4j.model.layers.CompositeBlock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The one map between dic4j's parameter names and the reference's PyTorch {@code state_dict} names.
 *
 * <p>Our name of a parameter is the path of child-block names from the network down to it, joined by dots
 * (DJL's two-digit child prefixes removed), e.g. {@code attentiveBlock.fusion.res0.conv1.weight}. The reference's
 * is the path of the names each {@link CompositeBlock} gives its children where it builds them, e.g.
 * {@code block.fusion_block.resnet.0.res.0.weight}; a child without one is an error, so every network maps wholly
 * or not at all. Leaf names follow PyTorch's layout: a PReLU slope and the batch-norm parameters belong to the module
 * after the conv in the same {@code Sequential} ({@link #LEAVES}).
 */
public final class StateDictNames {

    /** Our leaf names that are parameters of the module after the conv in PyTorch, and their names there. */
    private static final Map<String, String> LEAVES = Map.of(
            "slope", "weight",
            "bnWeight", "weight",
            "bnBias", "bias",
            "runningMean", "running_mean",
            "runningVar", "running_var",
            "batchesTracked", "num_batches_tracked");

    /**
     * The reference's prefix of the hourglass inside DIC. The authors' stand-alone hourglass files
     * ({@code FB_HG_68_*.pth}) hold the same names without it.
     */
    public static final String HOURGLASS_PREFIX = FeedbackHourglass.TORCH_NAME + ".";

    private StateDictNames() {}

    /** Every parameter of {@code block} under our name, in registration order. */
    public static Map<String, Parameter> ourNames(Block block) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect(block, "", out);
        return out;
    }

    private static void collect(Block block, String prefix, Map<String, Parameter> out) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            out.put(prefix + p.getKey(), p.getValue());
        }
        for (Pair<String, Block> child : block.getChildren()) {
            // DJL prefixes child names with a two-digit counter ("01features")
            collect(child.getValue(), prefix + child.getKey().substring(2) + ".", out);
        }
    }

    /**
     * Every parameter of {@code block} under its PyTorch state_dict name, in registration order.
     *
     * @throws IllegalArgumentException where a child has no PyTorch name
     */
    public static Map<String, Parameter> torchNames(Block block) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collectTorch(block, "", "", out);
        return out;
    }

    /** {@code ours}: our path of {@code block} with a trailing dot; {@code module}: the reference's, without. */
    private static void collectTorch(Block block, String ours, String module, Map<String, Parameter> out) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            String torch = leafName(module, p.getKey(), ours);
            if (out.put(torch, p.getValue()) != null) {
                throw new IllegalStateException("two parameters map to " + torch);
            }
        }
        for (Pair<String, Block> child : block.getChildren()) {
            String name = child.getKey().substring(2);
            String torch = block instanceof CompositeBlock composite ? composite.torchName(name).orElse(null) : null;
            if (torch == null) {
                throw new IllegalArgumentException("no PyTorch name for " + ours + name + " ("
                        + child.getValue().getClass().getSimpleName() + " in " + block.getClass().getSimpleName() + ")");
            }
            collectTorch(child.getValue(), ours + name + ".", module.isEmpty() ? torch : module + "." + torch, out);
        }
    }

    /** The PyTorch name of parameter {@code leaf} of the module the reference calls {@code module}. */
    private static String leafName(String module, String leaf, String ours) {
        String next = LEAVES.get(leaf);
        if (next == null) {
            return module.isEmpty() ? leaf : module + "." + leaf;
        }
        // the module after the conv in its Sequential, whose last name is the conv's index
        String index = module.substring(module.lastIndexOf('.') + 1);
        if (index.isEmpty() || !index.chars().allMatch(Character::isDigit)) {
            throw new IllegalStateException(ours + leaf + " is not in a Sequential: " + module);
        }
        return module.substring(0, module.length() - index.length()) + (Integer.parseInt(index) + 1) + "." + next;
    }
}
