package io.dic4j.infer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import io.dic4j.image.FaceTensors;
import io.dic4j.image.PilResize;
import io.dic4j.landmarks.Peaks;
import io.dic4j.model.LandmarkModel;
import io.dic4j.model.layers.ForwardMode;
import io.dic4j.model.layers.ForwardPass;
import io.dic4j.weights.BuiltInModel;
import io.dic4j.weights.HourglassWeights;
import io.dic4j.weights.StateDict;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds landmarks on aligned face images with a landmark model: the feedback hourglass alone (a
 * {@code dic4j train-landmarks} model, the authors' {@code FB_HG_68_*.pth}, or the hourglass of a DIC file) or
 * the evaluation's stacked hourglass (the authors' {@code HG_68_CelebA.pth}, {@code train-landmarks --arch
 * stacked}). Each face is resized to
 * {@value #FACE_SIZE}² (Pillow bicubic) for the network, and the points are mapped back to its own pixels.
 */
public final class LandmarkDetector implements AutoCloseable {

    /** The HR face size the hourglass reads. */
    public static final int FACE_SIZE = 128;

    private final NDManager manager;
    private final LandmarkModel net;

    private LandmarkDetector(NDManager manager, LandmarkModel net) {
        this.manager = manager;
        this.net = net;
    }

    /** Loads a landmark model or the alignment branch of a DIC, from any supported weights file. */
    public static LandmarkDetector load(Path weights) throws IOException {
        return load(StateDict.read(weights));
    }

    /** The alignment branch of the model that ships with dic4j ({@link BuiltInModel}). */
    public static LandmarkDetector builtIn() throws IOException {
        return load(BuiltInModel.read());
    }

    private static LandmarkDetector load(StateDict weights) {
        Engine.getInstance();
        NDManager manager = NDManager.newBaseManager();
        try {
            LandmarkModel net = HourglassWeights.loadAny(weights, manager);
            net.getParameters().values().forEach(p -> p.getArray().setRequiresGradient(false));
            return new LandmarkDetector(manager, net);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** A detector over a network it does not own (e.g. one being trained); close() frees only its arrays. */
    public static LandmarkDetector over(LandmarkModel net, NDManager parent) {
        return new LandmarkDetector(parent.newSubManager(), net);
    }

    public int keypoints() {
        return net.keypoints();
    }

    /** The landmarks of each face, (x, y) in that face's pixels (sub-pixel peaks of the last heatmaps). */
    public List<float[][]> detect(List<BufferedImage> faces) {
        return detect(faces, Peaks.Decoding.SUBPIXEL);
    }

    /** The landmarks of each face, (x, y) in that face's pixels, the last heatmaps' peaks decoded as asked. */
    public List<float[][]> detect(List<BufferedImage> faces, Peaks.Decoding decoding) {
        int n = faces.size();
        int s = FACE_SIZE;
        float[] input = new float[n * 3 * s * s];
        for (int i = 0; i < n; i++) {
            FaceTensors.toTensor(PilResize.resizeIfNeeded(faces.get(i), s, s), input, i * 3 * s * s);
        }
        float[] heat;
        try (NDManager m = manager.newSubManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray x = m.create(input, new Shape(n, 3, s, s));
            ForwardPass pass = ForwardPass.of(m, ForwardMode.INFERENCE);
            List<NDArray> maps = pass.run(() -> net.heatmaps(pass, x, false));
            heat = maps.get(maps.size() - 1).toFloatArray();
        }
        int k = net.keypoints();
        int h = s / 4;
        List<float[][]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] one = Arrays.copyOfRange(heat, i * k * h * h, (i + 1) * k * h * h);
            float[][] points = Peaks.decode(one, k, h, h, 4f, decoding);
            BufferedImage f = faces.get(i);
            // pixel centres map onto pixel centres
            for (float[] p : points) {
                p[0] = (p[0] + 0.5f) * f.getWidth() / s - 0.5f;
                p[1] = (p[1] + 0.5f) * f.getHeight() / s - 0.5f;
            }
            out.add(points);
        }
        return out;
    }

    @Override
    public void close() {
        manager.close();
    }
}
