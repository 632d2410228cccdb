package io.dic4j.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.dic4j.model.ops.SubPixelProjection;

/**
 * SRFBN's down-projection, a strided conv reading the parts of {@link SubPixelProjection}'s phase layout that an
 * {@link UpProjection} of the same kernel, stride and padding made: the parts in, one activation out.
 */
final class DownProjection extends ConvLayer {

    private final SubPixelProjection projection;

    DownProjection(Builder b) {
        super(b, new Shape(b.out, b.in, b.kernel, b.kernel));
        projection = new SubPixelProjection(kernel, stride, padding);
    }

    @Override
    NDList convolve(ParameterStore ps, NDList inputs, boolean training, ForwardMode mode) {
        NDArray x = inputs.get(0);
        NDArray b = bias(ps, x, training, mode);
        NDArray y = projection.down(inputs, derivedKernels(ps, x, training, projection::downKernels), b, mode);
        return new NDList(post.apply(y, ps, training, mode.recordsGraph()));
    }

    /** The strided conv's over the image behind the phases ({@code s}: the first part's shape). */
    @Override
    public long macs(Shape s) {
        Shape image = projection.imageShape(s);
        return image.get(0) * out * convOutSize(image.get(2)) * convOutSize(image.get(3)) * in * kernel * kernel;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = projection.imageShape(inputShapes[0]);
        return new Shape[] {new Shape(s.get(0), out, convOutSize(s.get(2)), convOutSize(s.get(3)))};
    }

    @Override
    public String toString() {
        return describe("DownProjection", "");
    }
}
