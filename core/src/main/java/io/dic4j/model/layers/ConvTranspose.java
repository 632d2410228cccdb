package io.dic4j.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.dic4j.model.ops.TransposedConv;

/** A transposed conv, PyTorch's {@code ConvTranspose2d} (groups 1), as {@link TransposedConv} computes it. */
final class ConvTranspose extends ConvLayer {

    ConvTranspose(Builder b) {
        super(b, new Shape(b.in, b.out, b.kernel, b.kernel));
    }

    @Override
    NDList convolve(ParameterStore ps, NDList inputs, boolean training, ForwardMode mode) {
        NDArray x = inputs.singletonOrThrow();
        NDArray b = bias(ps, x, training, mode);
        NDArray kernels = derivedKernels(ps, x, training,
                w -> new NDList(TransposedConv.asConvWeight(w, stride))).singletonOrThrow();
        NDArray y = TransposedConv.applyKernel(x, kernels, b, kernel, stride, padding, mode);
        return new NDList(post.apply(y, ps, training, mode.recordsGraph()));
    }

    /** Every input pixel × kernel × output channels. */
    @Override
    public long macs(Shape s) {
        return s.get(0) * in * s.get(2) * s.get(3) * out * kernel * kernel;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), out, transposedOutSize(s.get(2)), transposedOutSize(s.get(3)))};
    }

    @Override
    public String toString() {
        return describe("ConvTranspose", "");
    }
}
