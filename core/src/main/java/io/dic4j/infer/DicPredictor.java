package io.dic4j.infer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dic4j.image.FaceTensors;
import io.dic4j.image.PilResize;
import io.dic4j.landmarks.Peaks;
import io.dic4j.model.DicConfig;
import io.dic4j.model.DicNet;
import io.dic4j.model.layers.ForwardMode;
import io.dic4j.model.layers.ForwardPass;
import io.dic4j.weights.BuiltInModel;
import io.dic4j.weights.DicWeights;
import io.dic4j.weights.StateDict;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Super-resolves LR faces with DIC on {@code BufferedImage}s, a batch at a time: what dic4j's CLI and server use.
 * Java users who know DJL load the same models through {@code Criteria} (group {@code io.dic4j}, see
 * {@code io.dic4j.zoo.DicModelZoo}), which runs the same network and pixel path.
 *
 * <pre>{@code
 * try (DicPredictor dic = DicPredictor.builtIn()) {   // or load(Path.of("DIC_CelebA.pth"))
 *     DicPredictor.Result r = dic.predict(List.of(lr16x16)).get(0);
 *     ImageIO.write(r.sr(), "png", file);   // 128×128
 *     float[][] points = r.landmarks();     // 68 (x, y) in SR pixels
 * }
 * }</pre>
 *
 * The pixel path is the reference's test pipeline: rgb/255 − mean → network → + mean → ×255, clamp, round.
 * Inputs must be {@link #inputSize()} square RGB images (see {@code PilResize} to make them).
 */
public final class DicPredictor implements AutoCloseable {

    /** LR side length DIC is trained for (16 → 128). */
    public static final int INPUT_SIZE = 16;

    private final NDManager manager;
    private final DicNet net;
    /** Runs the network on a batch, in a manager that lives for the call. */
    private final BiFunction<NDManager, NDList, NDList> network;

    private DicPredictor(NDManager manager, DicNet net, BiFunction<NDManager, NDList, NDList> network) {
        this.manager = manager;
        this.net = net;
        this.network = network;
    }

    /** Loads weights (authors' .pth, .npz, or dic4j .safetensors), inferring the config where none is stored. */
    public static DicPredictor load(Path weights) throws IOException {
        return load(weights, null);
    }

    /** Loads weights with an explicit config (e.g. from an option file); null to infer it. */
    public static DicPredictor load(Path weights, DicConfig config) throws IOException {
        return load(weights, config, Precision.FP32);
    }

    /** Loads weights with an explicit config, or null to infer it, to run in {@code precision}. */
    public static DicPredictor load(Path weights, DicConfig config, Precision precision) throws IOException {
        return load(StateDict.read(weights), config, precision);
    }

    /** The model that ships with dic4j ({@link BuiltInModel}). */
    public static DicPredictor builtIn() throws IOException {
        return builtIn(Precision.FP32);
    }

    /** The model that ships with dic4j, to run in {@code precision}. */
    public static DicPredictor builtIn(Precision precision) throws IOException {
        return load(BuiltInModel.read(), null, precision);
    }

    /** Loads weights already read (e.g. {@link BuiltInModel#read()}) with an explicit config, or null to infer it. */
    public static DicPredictor load(StateDict weights, DicConfig config) throws IOException {
        return load(weights, config, Precision.FP32);
    }

    /** Loads weights already read with an explicit config, or null to infer it, to run in {@code precision}. */
    public static DicPredictor load(StateDict weights, DicConfig config, Precision precision) throws IOException {
        Engine.getInstance();
        NDManager manager = NDManager.newBaseManager();
        try {
            return of(new DicInferenceBlock(DicWeights.load(weights, config, manager), manager, precision), manager);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * A predictor over a loaded network, whose block keeps the kernels it derives; {@link #close()} frees only the
     * predictor's own arrays.
     */
    public static DicPredictor of(DicInferenceBlock block, NDManager parent) {
        return new DicPredictor(parent.newSubManager(), block.network(),
                (m, x) -> block.forward(new ParameterStore(m, false), x, false));
    }

    /**
     * A predictor over a network it does not own, e.g. one being trained: predictions use its current weights (its
     * derived kernels are kept for one call only), and {@link #close()} frees only the predictor's own arrays.
     */
    public static DicPredictor over(DicNet net, NDManager parent) {
        return new DicPredictor(parent.newSubManager(), net,
                (m, x) -> ForwardPass.of(m, ForwardMode.INFERENCE).forward(net, x, false));
    }

    public DicConfig config() {
        return net.config();
    }

    public int inputSize() {
        return INPUT_SIZE;
    }

    /** {@code image} as DIC's input: itself when {@link #INPUT_SIZE}², else resized to it (Pillow's bicubic). */
    public static BufferedImage asInput(BufferedImage image) {
        return PilResize.resizeIfNeeded(image, INPUT_SIZE, INPUT_SIZE);
    }

    /**
     * One face's result.
     *
     * @param steps the SR image after each step; the last is the answer
     * @param stepLandmarks the landmarks after each step, (x, y) in SR pixels (sub-pixel unless asked otherwise,
     *     see {@code Peaks.Decoding}); empty for methods without landmarks (bicubic)
     */
    public record Result(List<BufferedImage> steps, List<float[][]> stepLandmarks) {
        public BufferedImage sr() {
            return steps.get(steps.size() - 1);
        }

        /** The last step's landmarks: the answer; null where the method gives none. */
        public float[][] landmarks() {
            return stepLandmarks.isEmpty() ? null : stepLandmarks.get(stepLandmarks.size() - 1);
        }

        /** The landmarks as dic4j writes them ({@code upscale --landmarks}, {@code serve}): size, scheme, points. */
        public ObjectNode landmarksJson() {
            ObjectNode json = JsonNodeFactory.instance.objectNode();
            json.putArray("size").add(sr().getWidth()).add(sr().getHeight());
            json.put("scheme", "68-point iBUG, 0-based, (x, y) in SR pixels, pixel centres at integers");
            ArrayNode points = json.putArray("points");
            for (float[] p : landmarks()) {
                points.addArray().add(p[0]).add(p[1]);
            }
            return json;
        }
    }

    /** Super-resolves a batch of {@link #inputSize()}² RGB images, landmarks to sub-pixel. Thread-safe. */
    public List<Result> predict(List<BufferedImage> lr) {
        return predict(lr, Peaks.Decoding.SUBPIXEL);
    }

    /**
     * Super-resolves a batch of {@link #inputSize()}² RGB images, decoding landmarks as asked (the authors'
     * evaluation reads them with {@code REFERENCE_SHIFT}). Thread-safe.
     */
    public List<Result> predict(List<BufferedImage> lr, Peaks.Decoding decoding) {
        int s = INPUT_SIZE;
        int n = lr.size();
        float[] input = new float[n * 3 * s * s];
        for (int i = 0; i < n; i++) {
            BufferedImage img = lr.get(i);
            if (img.getWidth() != s || img.getHeight() != s) {
                throw new IllegalArgumentException("DIC takes " + s + "x" + s + " faces, image " + i + " is "
                        + img.getWidth() + "x" + img.getHeight());
            }
            FaceTensors.toTensor(img, input, i * 3 * s * s);
        }
        return forward(input, n, decoding);
    }

    /**
     * Runs one forward on a black face and drops its result, so that the first call to {@link #predict} runs at about
     * the speed of the later ones: a forward pays once for what its layers derive from the weights and keep, and for
     * the first use of each op in libtorch and oneDNN, which made a first batch markedly slower than the next
     * (docs/performance.md). One face is enough, whatever the batch size that follows. It moves that cost rather than
     * saving it, so it suits a server's start, not a run of a single forward.
     */
    public void warmUp() {
        forward(new float[3 * INPUT_SIZE * INPUT_SIZE], 1, Peaks.Decoding.SUBPIXEL);
    }

    private List<Result> forward(float[] input, int n, Peaks.Decoding decoding) {
        int s = INPUT_SIZE;
        try (NDManager m = manager.newSubManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray x = m.create(input, new Shape(n, 3, s, s));
            return NetworkOutputs.decode(DicNet.Steps.of(network.apply(m, new NDList(x))), decoding);
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
