package io.dic4j.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.dic4j.model.ops.Convolution;

/** An ordinary conv (strided, grouped), PyTorch's {@code Conv2d}. */
final class Conv extends ConvLayer {

    private final int groups;

    Conv(Builder b) {
        super(b, new Shape(b.out, b.in / b.groups, b.kernel, b.kernel));
        groups = b.groups;
    }

    @Override
    NDList convolve(ParameterStore ps, NDList inputs, boolean training, ForwardMode mode) {
        NDArray x = inputs.singletonOrThrow();
        NDArray b = bias(ps, x, training, mode);
        NDArray w = weight(ps, x, training, mode);
        NDArray y = Convolution.apply(x, w, b, new Shape(stride, stride), new Shape(padding, padding), groups, mode);
        return new NDList(post.apply(y, ps, training, mode.recordsGraph()));
    }

    /** Every output pixel × kernel × input channels of its group. */
    @Override
    public long macs(Shape s) {
        return s.get(0) * out * convOutSize(s.get(2)) * convOutSize(s.get(3)) * (in / groups) * kernel * kernel;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), out, convOutSize(s.get(2)), convOutSize(s.get(3)))};
    }

    @Override
    public String toString() {
        return describe("Conv", groups > 1 ? " g" + groups : "");
    }
}
