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
     * @return per face: each step's SR image, and the last step's landmarks in SR pixels (sub-pixel peaks)
     */
    static List<DicPredictor.Result> decode(DicNet.Steps out) {
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
        float scale = (float) out.sr().get(0).getShape().get(2) / h;
        int n = (int) hs.get(0);
        List<DicPredictor.Result> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<BufferedImage> perStep = new ArrayList<>();
            for (List<BufferedImage> step : steps) {
                perStep.add(step.get(i));
            }
            float[] one = Arrays.copyOfRange(heat, i * k * h * w, (i + 1) * k * h * w);
            results.add(new DicPredictor.Result(perStep, Peaks.decode(one, k, h, w, scale, Peaks.Decoding.SUBPIXEL)));
        }
        return results;
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
