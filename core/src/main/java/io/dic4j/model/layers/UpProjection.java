package io.dic4j.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.dic4j.model.ops.SubPixelProjection;

/**
 * SRFBN's up-projection, a transposed conv whose output stays in {@link SubPixelProjection}'s phase layout: one
 * activation in, the layout's parts out (for a {@link DownProjection} of the same kernel, stride and padding, and
 * per-pixel ops between).
 */
final class UpProjection extends ConvLayer {

    private final SubPixelProjection projection;

    UpProjection(Builder b) {
        super(b, new Shape(b.in, b.out, b.kernel, b.kernel));
        projection = new SubPixelProjection(kernel, stride, padding);
    }

    @Override
    NDList convolve(ParameterStore ps, NDList inputs, boolean training, ForwardMode mode) {
        NDArray x = inputs.singletonOrThrow();
        NDArray b = bias(ps, x, training, mode);
        NDList parts = projection.up(x, derivedKernels(ps, x, training, projection::upKernels), b, mode);
        NDList out = new NDList(parts.size());
        for (NDArray part : parts) {
            out.add(post.apply(part, ps, training, mode.recordsGraph()));
        }
        return out;
    }

    /** The transposed conv's: every input pixel × kernel × output channels. */
    @Override
    public long macs(Shape s) {
        return s.get(0) * in * s.get(2) * s.get(3) * out * kernel * kernel;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return projection.phaseShapes(inputShapes[0], out);
    }

    @Override
    public String toString() {
        return describe("UpProjection", "");
    }
}
