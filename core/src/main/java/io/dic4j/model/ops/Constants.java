package io.dic4j.model.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Constant tensors made from Java data inside a forward pass. DJL's PyTorch engine wraps the Java buffer
 * without copying; once the array is closed (blocks close their temporaries on return) the buffer may be freed
 * while autograd still holds the tensor for the backward pass, which then reads garbage (measured: resumed and
 * straight runs diverged). A copy owned by libtorch lives as long as autograd needs it.
 */
public final class Constants {

    private Constants() {}

    /**
     * A 0-d constant for element-wise ops in a graph. DJL's number overloads ({@code x.mul(0.1f)},
     * {@code x.maximum(0.05f)}…) wrap the Java scalar the same way and close it right after the op, while autograd
     * keeps it for the backward pass whenever the gradient needs it (mul, div, maximum, minimum): once the garbage
     * collector has run, the backward reads freed memory (measured: resumed runs diverged, and gradients came out
     * ×75 with a collection between forward and backward). Ops in a graph take this constant instead.
     */
    public static NDArray scalar(NDManager manager, float value) {
        return of(manager, new float[] {value}, new Shape());
    }

    public static NDArray of(NDManager manager, float[] data, Shape shape) {
        try (NDArray wrapped = manager.create(data, shape)) {
            return wrapped.duplicate();
        }
    }
}
