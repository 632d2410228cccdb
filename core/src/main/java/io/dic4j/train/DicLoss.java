package io.dic4j.train;

import ai.djl.ndarray.NDArray;
import io.dic4j.model.ops.Constants;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/**
 * DIC's training loss with PyTorch semantics (mean reductions): Σ_t w_pix·L1(SR_t, HR) + Σ_t w_align·MSE(heat_t, GT)
 * in the paper. Written out because DJL's losses differ ({@code L2Loss} is ½·MSE; a weighted {@code L1Loss}
 * scales the label). A term left out of the options is not computed.
 *
 * @param pixel the SR term ({@code solver.loss.pixel}), or null
 * @param align the heatmap term ({@code solver.loss.align}), or null
 */
public record DicLoss(Term pixel, Term align) {

    public static final DicLoss PAPER = new DicLoss(new Term(Kind.L1, 1.0), new Term(Kind.L2, 0.1));

    /** The foreground weight that leaves a term as the reference computes it. */
    public static final double NO_FOREGROUND_WEIGHT = 1.0;

    /** The terms' names in the training log (the reference's). */
    public static final String PIXEL = "loss_pix";
    public static final String ALIGN = "loss_align";

    /** The distance of a term ({@code loss_type}). */
    public enum Kind {
        /** mean |a − b| ({@code "l1"}, PyTorch's L1Loss). */
        L1,
        /** mean (a − b)² ({@code "l2"}, PyTorch's MSELoss). */
        L2;

        public static Kind of(String lossType) {
            for (Kind k : values()) {
                if (k.name().equalsIgnoreCase(lossType)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("loss_type must be \"l1\" or \"l2\", got \"" + lossType + "\"");
        }

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One weighted term, summed over the steps.
     *
     * <p>{@code foregroundWeight} (dic4j's {@code foreground_weight}, 1 = the reference) weighs each element of the
     * distance by {@code 1 + (foregroundWeight − 1)·target}. Heatmap targets are almost all zeros (a σ = 2 Gaussian
     * covers ~2% of a 32×32 map), so under a plain mean an all-zero prediction is a near-optimum that the hourglass
     * does not leave (docs/landmarks.md); weighting the Gaussians' pixels makes the peaks worth learning. The
     * weight map follows the target continuously, so no threshold decides what is foreground.
     *
     * @param kind its distance ({@code loss_type})
     * @param weight its weight ({@code weight})
     * @param foregroundWeight the weight of an element whose target is 1, growing linearly from 1 at target 0
     */
    public record Term(Kind kind, double weight, double foregroundWeight) {

        public Term {
            if (!(foregroundWeight >= 1)) {
                throw new IllegalArgumentException("foreground_weight must be at least 1, got " + foregroundWeight);
            }
        }

        /** A term as the reference computes it. */
        public Term(Kind kind, double weight) {
            this(kind, weight, NO_FOREGROUND_WEIGHT);
        }

        /** weight · distance(output, target). */
        public NDArray of(NDArray output, NDArray target) {
            return sum(List.of(output), target);
        }

        /** weight · Σ_t distance(outputs_t, target). */
        public NDArray sum(List<NDArray> outputs, NDArray target) {
            NDArray elementWeights = foregroundWeight == NO_FOREGROUND_WEIGHT ? null
                    : target.mul(Constants.scalar(target.getManager(), (float) (foregroundWeight - 1)))
                            .add(Constants.scalar(target.getManager(), 1f));
            NDArray total = null;
            for (NDArray out : outputs) {
                NDArray d = out.sub(target);
                NDArray distance = kind == Kind.L1 ? d.abs() : d.square();
                NDArray term = (elementWeights == null ? distance : distance.mul(elementWeights)).mean();
                total = total == null ? term : total.add(term);
            }
            // a float weight (a double would promote the loss to float64), owned by libtorch (see Constants.scalar)
            return total.mul(Constants.scalar(total.getManager(), (float) weight));
        }
    }

    /** The weighted sums by log name, in the order pixel, align (each one configured). */
    public Map<String, NDArray> terms(List<NDArray> sr, NDArray hr, List<NDArray> heatmaps, NDArray gtHeatmaps) {
        Map<String, NDArray> terms = new LinkedHashMap<>();
        if (pixel != null) {
            terms.put(PIXEL, pixel.sum(sr, hr));
        }
        if (align != null) {
            terms.put(ALIGN, align.sum(heatmaps, gtHeatmaps));
        }
        return terms;
    }

    /** The weighted sums and their total. */
    public TrainingTask.Losses compute(List<NDArray> sr, NDArray hr, List<NDArray> heatmaps, NDArray gtHeatmaps) {
        return TrainingTask.Losses.sum(terms(sr, hr, heatmaps, gtHeatmaps));
    }
}
