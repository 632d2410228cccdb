package io.dic4j.train;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.dic4j.data.FaceSample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
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

    /** Forward pass in training mode and the loss of one batch; arrays go to {@code manager}. */
    DicLoss.Terms loss(NDManager manager, List<FaceSample> batch);

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
