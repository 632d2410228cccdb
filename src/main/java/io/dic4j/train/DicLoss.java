package io.dic4j.train;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * DIC's training loss with PyTorch semantics (mean reductions): Σ_t w_pix·L1(SR_t, HR) + Σ_t w_align·MSE(heat_t, GT).
 * Written out because DJL's losses differ ({@code L2Loss} is ½·MSE; a weighted {@code L1Loss} scales the label).
 *
 * @param pixelWeight w_pix (1 in the paper)
 * @param alignWeight w_align (0.1 in the paper)
 */
public record DicLoss(double pixelWeight, double alignWeight) {

    public static final DicLoss PAPER = new DicLoss(1.0, 0.1);

    /** The two weighted sums (as the reference logs them) and their total. */
    public record Terms(NDArray pixel, NDArray align, NDArray total) {}

    public Terms compute(List<NDArray> sr, NDArray hr, List<NDArray> heatmaps, NDArray gtHeatmaps) {
        NDArray pixel = null;
        for (NDArray s : sr) {
            NDArray l1 = s.sub(hr).abs().mean();
            pixel = pixel == null ? l1 : pixel.add(l1);
        }
        NDArray align = null;
        for (NDArray h : heatmaps) {
            NDArray mse = h.sub(gtHeatmaps).square().mean();
            align = align == null ? mse : align.add(mse);
        }
        // float weights: a double scalar would promote the loss to float64
        NDArray weightedPixel = pixel.mul((float) pixelWeight);
        NDArray weightedAlign = align.mul((float) alignWeight);
        return new Terms(weightedPixel, weightedAlign, weightedPixel.add(weightedAlign));
    }
}
