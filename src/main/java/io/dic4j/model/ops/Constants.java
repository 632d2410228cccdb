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

    public static NDArray of(NDManager manager, float[] data, Shape shape) {
        try (NDArray wrapped = manager.create(data, shape)) {
            return wrapped.duplicate();
        }
    }
}
