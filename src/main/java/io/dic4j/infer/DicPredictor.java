package io.dic4j.infer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.dic4j.landmarks.Peaks;
import io.dic4j.model.DicConfig;
import io.dic4j.model.DicNet;
import io.dic4j.weights.DicWeights;
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
 * try (DicPredictor dic = DicPredictor.load(Path.of("DIC_CelebA.pth"))) {
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

    /** Per-channel RGB mean (on 0..1) that the reference subtracts from its inputs. */
    public static final float[] MEAN = {0.509f, 0.424f, 0.378f};

    /** LR side length DIC is trained for (16 → 128). */
    public static final int INPUT_SIZE = 16;

    private final NDManager manager;
    private final DicNet net;

    private DicPredictor(NDManager manager, DicNet net) {
        this.manager = manager;
        this.net = net;
    }

    /** Loads weights (authors' .pth, .npz, or dic4j .safetensors), inferring the config where none is stored. */
    public static DicPredictor load(Path weights) throws IOException {
        return load(weights, null);
    }

    /** Loads weights with an explicit config (e.g. from an option file); null to infer it. */
    public static DicPredictor load(Path weights, DicConfig config) throws IOException {
        Engine.getInstance();
        NDManager manager = NDManager.newBaseManager();
        try {
            DicNet net = DicWeights.load(weights, config, manager);
            // inference only: without gradients PyTorch records no graph
            net.getParameters().values().forEach(p -> p.getArray().setRequiresGradient(false));
            return new DicPredictor(manager, net);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public DicConfig config() {
        return net.config();
    }

    public int inputSize() {
        return INPUT_SIZE;
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
            toTensor(img, input, i * 3 * s * s);
        }
        try (NDManager m = manager.newSubManager()) {
            NDArray x = m.create(input, new Shape(n, 3, s, s));
            DicNet.Steps out = DicNet.Steps.of(net.forward(new ParameterStore(m, false), new NDList(x), false));
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

    private static void toTensor(BufferedImage img, float[] out, int offset) {
        int h = img.getHeight();
        int w = img.getWidth();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = img.getRGB(x, y);
                for (int c = 0; c < 3; c++) {
                    int v = (p >> (16 - 8 * c)) & 0xff;
                    out[offset + (c * h + y) * w + x] = v / 255f - MEAN[c];
                }
            }
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
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int rgb = 0;
                    for (int c = 0; c < 3; c++) {
                        float f = (v[((i * 3 + c) * h + y) * w + x] + MEAN[c]) * 255f;
                        // torch.round: half to even
                        int q = (int) Math.rint(Math.min(Math.max(f, 0f), 255f));
                        rgb |= q << (16 - 8 * c);
                    }
                    img.setRGB(x, y, rgb);
                }
            }
            images.add(img);
        }
        return images;
    }

    @Override
    public void close() {
        manager.close();
    }
}
