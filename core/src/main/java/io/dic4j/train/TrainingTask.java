package io.dic4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import io.dic4j.data.FaceSample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a {@link Trainer} optimises: DIC ({@link DicTask}) or its hourglass alone ({@link LandmarkTask}). */
public interface TrainingTask {

    /** The initialised network whose parameters are trained. */
    Block network();

    /** The part frozen until {@code release_HG_grad_step} (DIC's hourglass), or null when nothing is. */
    Block hourglass();

    /** Metadata that makes the weights a loadable model file (the network's shape). */
    Map<String, String> modelMetadata();

    /**
     * One batch's loss.
     *
     * @param total the loss (what is, or was, back-propagated)
     * @param terms the weighted terms and other values to log, by their log names
     * @param real the batch's real faces, for an adversary (or null)
     * @param fake the network's output an adversary scores, detached (or null)
     */
    record Losses(NDArray total, Map<String, NDArray> terms, NDArray real, NDArray fake) {

        /** Terms whose sum is the total. */
        public static Losses sum(Map<String, NDArray> terms) {
            if (terms.isEmpty()) {
                throw new IllegalArgumentException("no loss term is configured");
            }
            NDArray total = null;
            for (NDArray t : terms.values()) {
                total = total == null ? t : total.add(t);
            }
            return new Losses(total, terms, null, null);
        }

        /** These losses with the batch's real faces and the network's output for an adversary. */
        public Losses forAdversary(NDArray real, NDArray fake) {
            return new Losses(total, terms, real, fake);
        }

        /** The logged values as floats, the total last ({@code loss_total}). */
        public Map<String, Float> values(String totalName) {
            Map<String, Float> out = new LinkedHashMap<>();
            terms.forEach((k, v) -> out.put(k, v.getFloat()));
            out.put(totalName, total.getFloat());
            return out;
        }
    }

    /**
     * Forward and backward of one batch in training mode: its loss, and its gradients left in the parameters
     * through {@code gc}. Arrays go to {@code manager}.
     */
    Losses backward(NDManager manager, List<FaceSample> batch, GradientCollector gc);

    /** The network trained against this one after each of its updates (DICGAN's discriminator), or null. */
    default Adversary adversary() {
        return null;
    }

    /**
     * Scores the network on validation batches and writes what a person would look at into {@code dir}.
     *
     * @return named scores, among them {@link #bestMetric()}
     */
    Map<String, Double> validate(Iterator<List<FaceSample>> batches, int gridFaces, Path dir) throws IOException;

    /** The score the best checkpoint is chosen by. */
    String bestMetric();

    /** Whether a higher {@link #bestMetric()} is better. */
    boolean higherIsBetter();

    /** Writes the trained network as a model file. */
    void saveModel(Path file) throws IOException;
}
