package io.dic4j.model;

import ai.djl.ndarray.NDArray;

/**
 * What one DIC step hands to the next: the recovery branch's feedback-block output, the hourglass's hidden
 * state, and the landmark heatmaps that drive the next step's attention.
 */
record RecurrentState(NDArray blockOutput, NDArray hourglassHidden, NDArray heatmaps) {}
