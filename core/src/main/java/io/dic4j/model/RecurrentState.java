package io.dic4j.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * What one DIC step hands to the next: the recovery branch's feedback-block output, the hourglass's hidden
 * state, and the landmark heatmaps that drive the next step's attention.
 */
public record RecurrentState(NDArray blockOutput, NDArray hourglassHidden, NDArray heatmaps) {

    /** The three arrays, in the order of the record. */
    public List<NDArray> arrays() {
        return List.of(blockOutput, hourglassHidden, heatmaps);
    }

    /** A state of three arrays in the order of {@link #arrays()}. */
    public static RecurrentState of(List<NDArray> arrays) {
        return new RecurrentState(arrays.get(0), arrays.get(1), arrays.get(2));
    }
}
