package io.dic4j.weights;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dic4j.model.DicConfig;
import io.dic4j.model.DicNet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * DIC model files: reading any weights file into a ready {@link DicNet}, and writing dic4j's own format
 * (safetensors with the PyTorch names and the config as metadata).
 */
public final class DicWeights {

    /** Metadata key of dic4j's files: the {@code networks} section as JSON. */
    public static final String CONFIG_METADATA = "dic4j.config";

    /** The reference's DIC always runs 4 steps; its files do not record it. */
    public static final int DEFAULT_STEPS = DicConfig.PAPER.numSteps();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern UP_BLOCK = Pattern.compile("^first_block\\.upBlocks\\.\\d+\\.0\\.weight$");
    private static final Pattern FUSION_BLOCK =
            Pattern.compile("^block\\.fusion_block\\.resnet\\.\\d+\\.res\\.0\\.weight$");

    private DicWeights() {}

    /**
     * Loads a weights file into a new, initialised network.
     *
     * @param config the network's shape, or null to take it from the file's metadata or, for the authors'
     *     files that carry none, to infer it from the tensor shapes
     */
    public static DicNet load(Path file, DicConfig config, NDManager manager) throws IOException {
        return load(StateDict.read(file), config, manager);
    }

    /** Loads weights already read (e.g. {@link BuiltInModel#read()}) into a new, initialised network. */
    public static DicNet load(StateDict weights, DicConfig config, NDManager manager) throws IOException {
        DicConfig c = config != null ? config : configOf(weights);
        DicNet net = DicNet.builder().setConfig(c).build();
        net.initialize(manager, DataType.FLOAT32, new Shape(1, c.inChannels(), 16, 16));
        weights.loadInto(net);
        return net;
    }

    /** The config stored in a dic4j file, or else the one the tensor shapes imply. */
    public static DicConfig configOf(StateDict weights) throws IOException {
        String json = weights.metadata().get(CONFIG_METADATA);
        if (json != null) {
            return DicConfig.fromJson(JSON.readTree(json), new ArrayList<>());
        }
        return inferConfig(weights);
    }

    /** Infers the network's shape from the tensors (steps: {@value #DEFAULT_STEPS}, no detached attention). */
    public static DicConfig inferConfig(StateDict weights) {
        Map<String, Tensor> t = weights.tensors();
        long[] convIn = shape(weights, "conv_in.0.weight");
        long[] convOut = shape(weights, "conv_out.0.weight");
        long[] hgOut = shape(weights, "HG.hg_conv_out.2.weight");
        long[] hgMix = shape(weights, "HG.compress_in.weight");
        int groups = (int) t.keySet().stream().filter(k -> UP_BLOCK.matcher(k).matches()).count();
        int fusionBlocks = (int) t.keySet().stream().filter(k -> FUSION_BLOCK.matcher(k).matches()).count();
        return new DicConfig((int) convIn[0] / 4, DEFAULT_STEPS, groups, (int) hgMix[0] / 2, (int) hgOut[0],
                fusionBlocks, false, (int) convIn[1], (int) convOut[0], 8);
    }

    private static long[] shape(StateDict weights, String name) {
        Tensor t = weights.tensors().get(name);
        if (t == null) {
            throw new WeightsMismatchException(weights.source() + " has no " + name
                    + ": not DIC weights, so its network shape cannot be inferred");
        }
        return t.shape();
    }

    /** Writes the network as dic4j's safetensors file (atomically). */
    public static void save(DicNet net, Path file) throws IOException {
        String config = JSON.writeValueAsString(net.config().toJson());
        StateDict.of(net, Map.of(CONFIG_METADATA, config, "format", "pt")).writeSafetensors(file);
    }

}
