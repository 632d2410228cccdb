package io.dic4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;

/**
 * A network that finds landmarks on HR faces as heatmaps at a quarter of the image size: DIC's feedback
 * hourglass alone ({@link LandmarkNet}) or the evaluation's stacked hourglass ({@link StackedHourglass}).
 */
public interface LandmarkModel extends Block {

    int keypoints();

    /** Channels of the images it reads. */
    int imageChannels();

    /**
     * The heatmaps (N, K, H/4, W/4) of each step or stack of faces (N, C, H, W) in DIC's normalised space; the
     * last is the prediction, all are supervised in training.
     */
    List<NDArray> heatmaps(ParameterStore ps, NDArray faces, boolean training);
}
