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
     * {@link #INFERENCE} with the convolutions in bfloat16 (accumulating in float32, as oneDNN does): their inputs
     * and kept kernels are cast, their outputs stay bfloat16 until an op with a float32 operand promotes them. The
     * image path (the input's upsampling, the reconstruction's sum) and the heatmaps that leave the alignment branch
     * are float32.
     */
    INFERENCE_BF16,
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

    /** Whether the pass predicts with weights that do not change during it. */
    public boolean isInference() {
        return this == INFERENCE || this == INFERENCE_BF16;
    }

    /** Whether the pass's convolutions run in bfloat16. */
    public boolean bfloat16() {
        return this == INFERENCE_BF16;
    }

    /** Whether autograd records the pass's graph. */
    public boolean recordsGraph() {
        return this == RECORDED;
    }
}
