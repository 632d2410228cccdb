package io.dic4j.weights;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.dic4j.model.LandmarkModel;
import io.dic4j.model.LandmarkNet;
import io.dic4j.model.StackedHourglass;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Landmark-model weights. The feedback hourglass: the authors' pre-trained {@code FB_HG_68_*.pth} (the
 * hourglass's own state_dict), dic4j's landmark model files (the same names, safetensors), or the hourglass
 * inside any DIC weights file. The stacked hourglass of the evaluation: the authors' {@code HG_68_CelebA.pth}
 * or dic4j's files of it (the same names); its shape is read from the tensors.
 */
public final class HourglassWeights {

    /** Metadata of dic4j's landmark files: features, keypoints and steps (channels are in the stem's shape). */
    public static final String FEATURES = "dic4j.hg_num_feature";
    public static final String KEYPOINTS = "dic4j.hg_num_keypoints";
    public static final String STEPS = "dic4j.num_steps";

    private static final String MIX = StateDictNames.HOURGLASS_PREFIX + "compress_in.weight";
    private static final String HEAD = StateDictNames.HOURGLASS_PREFIX + "hg_conv_out.2.weight";
    private static final String STEM = StateDictNames.HOURGLASS_PREFIX + "pre_conv_block.0.weight";
    /** Only the stacked hourglass has a batch-norm after its stem conv. */
    private static final String STACKED_STEM_NORM = "pre_conv_block.1.running_mean";
    private static final String STACKED_STEM = "pre_conv_block.0.weight";
    private static final Pattern STACKED_HEAD = Pattern.compile("^hg(\\d+)_conv_pred\\.weight$");

    private HourglassWeights() {}

    /** The hourglass tensors of a file, under the names it has inside DIC ({@code HG.*}). */
    public static StateDict read(Path file) throws IOException {
        return hourglassOf(StateDict.read(file));
    }

    /** The hourglass tensors of a DIC's or a stand-alone hourglass's weights, named as inside DIC. */
    public static StateDict hourglassOf(StateDict d) {
        boolean insideDic = d.tensors().keySet().stream().anyMatch(k -> k.startsWith(StateDictNames.HOURGLASS_PREFIX));
        return insideDic ? d.under(StateDictNames.HOURGLASS_PREFIX).withPrefix(StateDictNames.HOURGLASS_PREFIX)
                : d.withPrefix(StateDictNames.HOURGLASS_PREFIX);
    }

    /** Loads a file's hourglass into the alignment branch of a DIC or a {@link LandmarkNet} (strictly). */
    public static void loadInto(Path file, Block network) throws IOException {
        read(file).loadInto(network, StateDictNames.HOURGLASS_PREFIX);
    }

    /** A new, initialised landmark network with the file's weights; its shape is read from the file. */
    public static LandmarkNet load(Path file, NDManager manager) throws IOException {
        return load(StateDict.read(file), manager);
    }

    /** A new, initialised landmark model of the kind the weights are (stacked or feedback hourglass). */
    public static LandmarkModel loadAny(StateDict weights, NDManager manager) {
        return weights.tensors().containsKey(STACKED_STEM_NORM) ? loadStacked(weights, manager)
                : load(weights, manager);
    }

    /** A new, initialised stacked hourglass with these weights; features, stacks and keypoints from the shapes. */
    public static StackedHourglass loadStacked(StateDict d, NDManager manager) {
        Tensor stem = d.tensors().get(STACKED_STEM);
        if (stem == null) {
            throw new WeightsMismatchException(d.source() + " has no " + STACKED_STEM + ": not stacked-hourglass weights");
        }
        int stacks = 0;
        long keypoints = 0;
        for (Map.Entry<String, Tensor> e : d.tensors().entrySet()) {
            Matcher m = STACKED_HEAD.matcher(e.getKey());
            if (m.matches()) {
                stacks = Math.max(stacks, Integer.parseInt(m.group(1)) + 1);
                keypoints = e.getValue().shape()[0];
            }
        }
        StackedHourglass net = StackedHourglass.builder().setFeatures((int) stem.shape()[0] * 4).setStacks(stacks)
                .setKeypoints((int) keypoints).optImageChannels((int) stem.shape()[1]).build();
        net.initialize(manager, DataType.FLOAT32, new Shape(1, net.imageChannels(), 128, 128));
        d.loadInto(net);
        return net;
    }

    /** A new, initialised landmark network with the hourglass of weights already read (a DIC's or its own). */
    public static LandmarkNet load(StateDict weights, NDManager manager) {
        StateDict d = hourglassOf(weights);
        Map<String, String> meta = d.metadata();
        LandmarkNet net = LandmarkNet.builder()
                .setFeatures(meta.containsKey(FEATURES) ? Integer.parseInt(meta.get(FEATURES)) : (int) dim(d, MIX) / 2)
                .setKeypoints(meta.containsKey(KEYPOINTS) ? Integer.parseInt(meta.get(KEYPOINTS)) : (int) dim(d, HEAD))
                .optSteps(meta.containsKey(STEPS) ? Integer.parseInt(meta.get(STEPS)) : DicWeights.DEFAULT_STEPS)
                .optImageChannels((int) d.tensors().get(STEM).shape()[1])
                .build();
        net.initialize(manager, DataType.FLOAT32, new Shape(1, net.imageChannels(), 128, 128));
        d.loadInto(net);
        return net;
    }

    private static long dim(StateDict d, String name) {
        Tensor t = d.tensors().get(name);
        if (t == null) {
            throw new WeightsMismatchException(d.source() + " has no " + name + ": not feedback-hourglass weights");
        }
        return t.shape()[0];
    }

    /** Writes the model as the authors' stand-alone files name it (no {@code HG.}), in safetensors. */
    public static void save(LandmarkModel net, Path file) throws IOException {
        StateDict d = StateDict.of(net, metadata(net));
        (net instanceof LandmarkNet ? d.under(StateDictNames.HOURGLASS_PREFIX) : d).writeSafetensors(file);
    }

    /** The metadata that records the network's shape in dic4j's files (the stacked one's is in its shapes). */
    public static Map<String, String> metadata(LandmarkModel model) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        if (model instanceof LandmarkNet net) {
            meta.put(FEATURES, String.valueOf(net.features()));
            meta.put(KEYPOINTS, String.valueOf(net.keypoints()));
            meta.put(STEPS, String.valueOf(net.steps()));
        }
        return meta;
    }
}
