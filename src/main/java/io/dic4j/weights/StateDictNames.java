package io.dic4j.weights;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
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
 * {@code ConvLayer} is one PyTorch module; {@link #MODULES} rewrites the module path, applied in order, and
 * the leaf names follow PyTorch's layout: a PReLU slope is the {@code weight} of the module after the conv in
 * the same {@code Sequential}.
 */
public final class StateDictNames {

    private static final String SLOPE = "slope";

    /**
     * The reference's prefix of the hourglass inside DIC. The authors' stand-alone hourglass files
     * ({@code FB_HG_68_*.pth}) hold the same names without it.
     */
    public static final String HOURGLASS_PREFIX = "HG.";

    /** Our module path → PyTorch module path: every rule whose pattern matches is applied, in this order. */
    private static final List<Pair<Pattern, String>> MODULES = List.of(
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
            rule("^HG\\.stem$", "HG.pre_conv_block.0"),
            rule("^HG\\.stemRes1\\.", "HG.pre_conv_block.2."),
            rule("^HG\\.stemRes2\\.", "HG.pre_conv_block.4."),
            rule("^HG\\.stemRes3\\.", "HG.pre_conv_block.5."),
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
        Map<String, Parameter> out = new LinkedHashMap<>();
        ourNames(block).forEach((name, p) -> {
            String torch = toTorch(name);
            if (out.put(torch, p) != null) {
                throw new IllegalStateException("two parameters map to " + torch);
            }
        });
        return out;
    }

    /** The PyTorch name of the parameter we call {@code ourName}. */
    public static String toTorch(String ourName) {
        int dot = ourName.lastIndexOf('.');
        String module = ourName.substring(0, dot);
        String leaf = ourName.substring(dot + 1);
        for (Pair<Pattern, String> r : MODULES) {
            Matcher m = r.getKey().matcher(module);
            if (m.find()) {
                module = m.replaceFirst(r.getValue());
            }
        }
        if (leaf.equals(SLOPE)) {
            if (!module.endsWith(".0")) {
                throw new IllegalStateException("PReLU of " + ourName + " is not in a Sequential: " + module);
            }
            return module.substring(0, module.length() - 1) + "1.weight";
        }
        return module + "." + leaf;
    }
}
