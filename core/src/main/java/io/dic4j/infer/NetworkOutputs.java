package io.dic4j.infer;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.dic4j.image.FaceTensors;
import io.dic4j.landmarks.Peaks;
import io.dic4j.model.DicNet;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** DIC's outputs as pictures and points, face by face: what {@link DicPredictor} and {@link DicTranslator} give. */
final class NetworkOutputs {

    private NetworkOutputs() {}

    /**
     * @param out every step's SR batch (N, 3, H, W) and heatmap batch (N, K, h, w)
     * @param decoding how each heatmap's peak becomes a point
     * @return per face: each step's SR image and landmarks (in SR pixels)
     */
    static List<DicPredictor.Result> decode(DicNet.Steps out, Peaks.Decoding decoding) {
        List<List<BufferedImage>> steps = new ArrayList<>();
        for (NDArray sr : out.sr()) {
            steps.add(toImages(sr));
        }
        List<List<float[][]>> points = new ArrayList<>();
        float scale = (float) out.sr().get(0).getShape().get(2) / out.heatmaps().get(0).getShape().get(2);
        for (NDArray heatmaps : out.heatmaps()) {
            points.add(toPoints(heatmaps, scale, decoding));
        }
        int n = steps.get(0).size();
        List<DicPredictor.Result> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<BufferedImage> perStep = new ArrayList<>();
            List<float[][]> landmarks = new ArrayList<>();
            for (int t = 0; t < steps.size(); t++) {
                perStep.add(steps.get(t).get(i));
                landmarks.add(points.get(t).get(i));
            }
            results.add(new DicPredictor.Result(perStep, landmarks));
        }
        return results;
    }

    /** One step's heatmaps (N, K, h, w) as N sets of K points, {@code scale} SR pixels per heatmap cell. */
    private static List<float[][]> toPoints(NDArray heatmaps, float scale, Peaks.Decoding decoding) {
        Shape hs = heatmaps.getShape();
        int k = (int) hs.get(1);
        int h = (int) hs.get(2);
        int w = (int) hs.get(3);
        float[] heat = heatmaps.toFloatArray();
        List<float[][]> faces = new ArrayList<>();
        for (int i = 0; i < hs.get(0); i++) {
            float[] one = Arrays.copyOfRange(heat, i * k * h * w, (i + 1) * k * h * w);
            faces.add(Peaks.decode(one, k, h, w, scale, decoding));
        }
        return faces;
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
}
