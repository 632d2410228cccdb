package io.dic4j.model.layers;

/**
 * How a forward pass runs, which decides what its blocks may do with their tensors. {@link ForwardPass} carries it
 * to the blocks; they ask {@link ForwardPass#modeOf} rather than the engine.
 */
public enum ForwardMode {
    /**
     * Predictions with weights that do not change during the pass: no graph is recorded, so blocks may write into
     * their activations in place, and the pass keeps the kernels layers derive from their weights.
     */
    INFERENCE,
    /**
     * A training forward whose graph the backward pass reads: autograd may keep any activation, so nothing is written
     * in place.
     */
    RECORDED,
    /**
     * A training forward without a graph that keeps only what each step hands the next ({@code StepwiseBackward}'s
     * first pass): it writes in place as inference does, and each step is then recomputed {@link #RECORDED}.
     */
    CHECKPOINT;

    /** Whether autograd records the pass's graph. */
    public boolean recordsGraph() {
        return this == RECORDED;
    }
}
