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
import io.dic4j.model.layers.CachingParameterStore;
import io.dic4j.weights.BuiltInModel;
import io.dic4j.weights.DicWeights;
import io.dic4j.weights.StateDict;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Super-resolves LR faces with DIC: the library's entry point.
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
    /** Kept across predictions when the weights never change while the predictor lives; null otherwise. */
    private final CachingParameterStore fixedStore;

    private DicPredictor(NDManager manager, DicNet net, boolean fixedWeights) {
        this.manager = manager;
        this.net = net;
        this.fixedStore = fixedWeights ? new CachingParameterStore(manager) : null;
    }

    /** Loads weights (authors' .pth, .npz, or dic4j .safetensors), inferring the config where none is stored. */
    public static DicPredictor load(Path weights) throws IOException {
        return load(weights, null);
    }

    /** Loads weights with an explicit config (e.g. from an option file); null to infer it. */
    public static DicPredictor load(Path weights, DicConfig config) throws IOException {
        return load(StateDict.read(weights), config);
    }

    /** The model that ships with dic4j ({@link BuiltInModel}). */
    public static DicPredictor builtIn() throws IOException {
        return load(BuiltInModel.read(), null);
    }

    private static DicPredictor load(StateDict weights, DicConfig config) throws IOException {
        Engine.getInstance();
        NDManager manager = NDManager.newBaseManager();
        try {
            DicNet net = DicWeights.load(weights, config, manager);
            // inference only: without gradients PyTorch records no graph
            net.getParameters().values().forEach(p -> p.getArray().setRequiresGradient(false));
            return new DicPredictor(manager, net, true);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * A predictor over a network it does not own, e.g. one being trained: predictions use its current weights,
     * and {@link #close()} frees only the predictor's own arrays.
     */
    public static DicPredictor over(DicNet net, NDManager parent) {
        return new DicPredictor(parent.newSubManager(), net, false);
    }

    /**
     * A predictor over a network it does not own whose weights stay as they are while the predictor lives (a
     * benchmark's): as for a loaded model, kernels derived from the weights are kept across predictions.
     */
    public static DicPredictor overFixed(DicNet net, NDManager parent) {
        return new DicPredictor(parent.newSubManager(), net, true);
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
     * @param landmarks the last step's landmarks, (x, y) in SR pixels
     */
    public record Result(List<BufferedImage> steps, float[][] landmarks) {
        public BufferedImage sr() {
            return steps.get(steps.size() - 1);
        }

        /** The landmarks as dic4j writes them ({@code upscale --landmarks}, {@code serve}): size, scheme, points. */
        public ObjectNode landmarksJson() {
            ObjectNode json = JsonNodeFactory.instance.objectNode();
            json.putArray("size").add(sr().getWidth()).add(sr().getHeight());
            json.put("scheme", "68-point iBUG, 0-based, (x, y) in SR pixels");
            ArrayNode points = json.putArray("points");
            for (float[] p : landmarks) {
                points.addArray().add(p[0]).add(p[1]);
            }
            return json;
        }
    }

    /** Super-resolves a batch of {@link #inputSize()}² RGB images. Thread-safe. */
    public List<Result> predict(List<BufferedImage> lr) {
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
        return Inference.withoutGradients(() -> forward(input, n));
    }

    private List<Result> forward(float[] input, int n) {
        int s = INPUT_SIZE;
        try (NDManager m = manager.newSubManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray x = m.create(input, new Shape(n, 3, s, s));
            // a network in training may change between predictions, not during one
            ParameterStore ps = fixedStore != null ? fixedStore : new CachingParameterStore(m);
            DicNet.Steps out = DicNet.Steps.of(net.forward(ps, new NDList(x), false));
            List<List<BufferedImage>> steps = new ArrayList<>();
            for (NDArray sr : out.sr()) {
                steps.add(toImages(sr));
            }
            NDArray last = out.heatmaps().get(out.heatmaps().size() - 1);
            Shape hs = last.getShape();
            int k = (int) hs.get(1);
            int h = (int) hs.get(2);
            int w = (int) hs.get(3);
            float[] heat = last.toFloatArray();
            float scale = (float) (s * net.config().scale()) / h;
            List<Result> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                List<BufferedImage> perStep = new ArrayList<>();
                for (List<BufferedImage> step : steps) {
                    perStep.add(step.get(i));
                }
                float[] one = Arrays.copyOfRange(heat, i * k * h * w, (i + 1) * k * h * w);
                results.add(new Result(perStep, Peaks.argmax(one, k, h, w, scale)));
            }
            return results;
        }
    }

    private static List<BufferedImage> toImages(NDArray sr) {
        Shape s = sr.getShape();
        int n = (int) s.get(0);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        float[] v = sr.toFloatArray();
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            images.add(FaceTensors.toImage(v, i * 3 * h * w, w, h));
        }
        return images;
    }

    @Override
    public void close() {
        manager.close();
    }
}
