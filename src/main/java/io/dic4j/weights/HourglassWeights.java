package io.dic4j.weights;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.dic4j.model.LandmarkNet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Feedback-hourglass weights: the authors' pre-trained {@code FB_HG_68_*.pth} (the hourglass's own state_dict),
 * dic4j's landmark model files (the same names, safetensors), or the hourglass inside any DIC weights file.
 */
public final class HourglassWeights {

    /** Metadata of dic4j's landmark files: features, keypoints and steps (channels are in the stem's shape). */
    public static final String FEATURES = "dic4j.hg_num_feature";
    public static final String KEYPOINTS = "dic4j.hg_num_keypoints";
    public static final String STEPS = "dic4j.num_steps";

    private static final String MIX = StateDictNames.HOURGLASS_PREFIX + "compress_in.weight";
    private static final String HEAD = StateDictNames.HOURGLASS_PREFIX + "hg_conv_out.2.weight";
    private static final String STEM = StateDictNames.HOURGLASS_PREFIX + "pre_conv_block.0.weight";

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

    /** Writes the hourglass as the authors' stand-alone files name it (no {@code HG.}), in safetensors. */
    public static void save(LandmarkNet net, Path file) throws IOException {
        StateDict.of(net, metadata(net)).under(StateDictNames.HOURGLASS_PREFIX).writeSafetensors(file);
    }

    /** The metadata that records the network's shape in dic4j's files. */
    public static Map<String, String> metadata(LandmarkNet net) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put(FEATURES, String.valueOf(net.features()));
        meta.put(KEYPOINTS, String.valueOf(net.keypoints()));
        meta.put(STEPS, String.valueOf(net.steps()));
        return meta;
    }
}
