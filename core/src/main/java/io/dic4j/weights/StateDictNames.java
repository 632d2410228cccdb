package io.dic4j.weights;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.dic4j.model.LightCnn;
import io.dic4j.model.StackedHourglass;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one map between dic4j's parameter names and the reference's PyTorch {@code state_dict} names.
 *
 * <p>Our name of a parameter is the path of child-block names from the network down to it, joined by dots
 * (DJL's two-digit child prefixes removed), e.g. {@code attentiveBlock.fusion.res0.conv1.weight}. Each
 * {@code ConvLayer} is one PyTorch module; each network family has its list of rules that rewrite the module
 * path, applied in order (DIC and its hourglass: {@link #DIC}; LightCNN: {@link #LIGHT_CNN}; the evaluation's
 * stacked hourglass: {@link #STACKED_HOURGLASS}). Leaf names follow PyTorch's layout: a PReLU slope and the
 * batch-norm parameters belong to the module after the conv in the same {@code Sequential} ({@link #LEAVES}).
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
    public static final String HOURGLASS_PREFIX = "HG.";

    /** DIC, its hourglass alone: our module path → PyTorch's; every rule that matches is applied, in order. */
    private static final List<Pair<Pattern, String>> DIC = List.of(
            rule("^features$", "conv_in.0"),
            rule("^upsample$", "out.0"),
            rule("^reconstruct$", "conv_out.0"),
            rule("^firstBlock\\.", "first_block."),
            rule("^attentiveBlock\\.", "block."),
            rule("\\.compressIn$", ".compress_in.0"),
            rule("\\.upCompress(\\d+)$", ".uptranBlocks.$1.0"),
            rule("\\.downCompress(\\d+)$", ".downtranBlocks.$1.0"),
            rule("^(first_block|block)\\.up(\\d+)$", "$1.upBlocks.$2.0"),
            rule("^(first_block|block)\\.down(\\d+)$", "$1.downBlocks.$2.0"),
            rule("\\.compressOut$", ".compress_out.0"),
            rule("\\.fusion\\.expand$", ".fusion_block.conv_in.0"),
            rule("\\.fusion\\.res(\\d+)\\.conv1$", ".fusion_block.resnet.$1.res.0"),
            rule("\\.fusion\\.res(\\d+)\\.conv2$", ".fusion_block.resnet.$1.res.2"),
            rule("^alignment\\.", HOURGLASS_PREFIX),
            rule("^HG\\.stem\\.conv$", "HG.pre_conv_block.0"),
            rule("^HG\\.stem\\.res1\\.", "HG.pre_conv_block.2."),
            rule("^HG\\.stem\\.res2\\.", "HG.pre_conv_block.4."),
            rule("^HG\\.stem\\.res3\\.", "HG.pre_conv_block.5."),
            rule("^HG\\.mix$", "HG.compress_in"),
            rule("^HG\\.hourglass\\.up(\\d+)\\.", "HG.hg.res$1_1."),
            rule("^HG\\.hourglass\\.down(\\d+)\\.", "HG.hg.res$1_2."),
            rule("^HG\\.hourglass\\.after(\\d+)\\.", "HG.hg.res$1_3."),
            rule("^HG\\.hourglass\\.center\\.", "HG.hg.res_center."),
            rule("^HG\\.headRes\\.", "HG.hg_conv_out.0."),
            rule("^HG\\.headConv$", "HG.hg_conv_out.1.conv_block.0"),
            rule("^HG\\.headOut$", "HG.hg_conv_out.2"),
            // residual blocks: 1×1, ReLU, 3×3, 1×1 in one Sequential, and the skip conv
            rule("\\.conv1$", ".conv_block.0"),
            rule("\\.conv2$", ".conv_block.2"),
            rule("\\.conv3$", ".conv_block.3"),
            rule("\\.skip$", ".skip_layer"));

    /** LightCNN-9 ({@code network_9layers}; its feature extractor has the same names without the classifier). */
    private static final List<Pair<Pattern, String>> LIGHT_CNN = List.of(
            rule("^stem$", "features.0.filter"),
            rule("^group1\\.", "features.2."),
            rule("^group2\\.", "features.4."),
            rule("^group3\\.", "features.6."),
            rule("^group4\\.", "features.7."),
            rule("\\.reduce$", ".conv_a.filter"),
            rule("\\.conv$", ".conv.filter"),
            rule("^hidden$", "classifier.0.filter"),
            rule("^score$", "classifier.2"));

    /** The evaluation's {@code StackedHourGlass}: every conv but the heads is followed by a BatchNorm2d. */
    private static final List<Pair<Pattern, String>> STACKED_HOURGLASS = List.of(
            rule("^stem\\.conv$", "pre_conv_block.0"),
            rule("^stem\\.res1\\.", "pre_conv_block.3."),
            rule("^stem\\.res2\\.", "pre_conv_block.5."),
            rule("^stem\\.res3\\.", "pre_conv_block.6."),
            rule("^hourglass(\\d+)\\.up(\\d+)\\.", "hg$1.res$2_1."),
            rule("^hourglass(\\d+)\\.down(\\d+)\\.", "hg$1.res$2_2."),
            rule("^hourglass(\\d+)\\.after(\\d+)\\.", "hg$1.res$2_3."),
            rule("^hourglass(\\d+)\\.center\\.", "hg$1.res_center."),
            rule("^res(\\d+)\\.", "hg$1_res1."),
            rule("^lin(\\d+)$", "hg$1_lin1.conv_block.0"),
            rule("^pred(\\d+)$", "hg$1_conv_pred"),
            rule("^featureBack(\\d+)$", "hg$1_conv1"),
            rule("^heatmapBack(\\d+)$", "hg$1_conv2"),
            // residual blocks: 1×1, BN, ReLU, 3×3, BN, ReLU, 1×1, BN in one Sequential; the skip conv and its BN
            rule("\\.conv1$", ".conv_block.0"),
            rule("\\.conv2$", ".conv_block.3"),
            rule("\\.conv3$", ".conv_block.6"),
            rule("\\.skip$", ".skip_layer.0"));

    private StateDictNames() {}

    private static Pair<Pattern, String> rule(String pattern, String replacement) {
        return new Pair<>(Pattern.compile(pattern), replacement);
    }

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

    /** Every parameter of {@code block} under its PyTorch state_dict name, in registration order. */
    public static Map<String, Parameter> torchNames(Block block) {
        List<Pair<Pattern, String>> rules = block instanceof LightCnn ? LIGHT_CNN
                : block instanceof StackedHourglass ? STACKED_HOURGLASS : DIC;
        Map<String, Parameter> out = new LinkedHashMap<>();
        ourNames(block).forEach((name, p) -> {
            String torch = toTorch(name, rules);
            if (out.put(torch, p) != null) {
                throw new IllegalStateException("two parameters map to " + torch);
            }
        });
        return out;
    }

    /** The PyTorch name of the parameter we call {@code ourName}, by a family's rules. */
    private static String toTorch(String ourName, List<Pair<Pattern, String>> rules) {
        int dot = ourName.lastIndexOf('.');
        String module = ourName.substring(0, dot);
        String leaf = ourName.substring(dot + 1);
        for (Pair<Pattern, String> r : rules) {
            Matcher m = r.getKey().matcher(module);
            if (m.find()) {
                module = m.replaceFirst(r.getValue());
            }
        }
        String next = LEAVES.get(leaf);
        if (next == null) {
            return module + "." + leaf;
        }
        Matcher index = NEXT_INDEX.matcher(module);
        if (!index.find()) {
            throw new IllegalStateException(ourName + " is not in a Sequential: " + module);
        }
        return module.substring(0, index.start(1)) + (Integer.parseInt(index.group(1)) + 1) + "." + next;
    }

    /** The index of a module inside its Sequential. */
    private static final Pattern NEXT_INDEX = Pattern.compile("\\.(\\d+)$");
}
