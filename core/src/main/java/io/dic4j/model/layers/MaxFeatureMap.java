package io.dic4j.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import io.dic4j.model.ops.Convolution;
import io.dic4j.model.ops.Local;

/**
 * LightCNN's max-feature-map unit: a convolution (or, for flat inputs, a linear layer) to 2·out channels, then
 * the element-wise maximum of the first and the second half. Parameters {@code weight} and {@code bias} in
 * PyTorch's layout, PyTorch's default initialisation (uniform ±1/√fan_in).
 */
public final class MaxFeatureMap extends ScopedBlock {

    private final int in;
    private final int out;
    private final int kernel;
    private final int padding;
    private final Parameter weight;
    private final Parameter bias;

    private MaxFeatureMap(int in, int out, int kernel, int padding) {
        this.in = in;
        this.out = out;
        this.kernel = kernel;
        this.padding = padding;
        Shape weightShape = kernel == 0 ? new Shape(2L * out, in) : new Shape(2L * out, in, kernel, kernel);
        float bound = (float) (1.0 / Math.sqrt((double) in * Math.max(kernel, 1) * Math.max(kernel, 1)));
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(weightShape).optInitializer(new UniformInitializer(bound)).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(2L * out)).optInitializer(new UniformInitializer(bound)).build());
    }

    /** A stride-1 convolution unit with a square kernel. */
    public static MaxFeatureMap conv(int in, int out, int kernel, int padding) {
        return new MaxFeatureMap(in, out, kernel, padding);
    }

    /** A linear unit over flat (N, in) inputs. */
    public static MaxFeatureMap linear(int in, int out) {
        return new MaxFeatureMap(in, out, 0, 0);
    }

    @Override
    protected NDList compute(ParameterStore ps, NDList inputs, boolean training) {
        NDArray x = inputs.singletonOrThrow();
        NDManager m = x.getManager();
        NDArray w = Local.view(ps.getValue(weight, x.getDevice(), training), m);
        NDArray b = Local.view(ps.getValue(bias, x.getDevice(), training), m);
        NDArray y = kernel == 0 ? Linear.linear(x, w, b).singletonOrThrow()
                : Convolution.apply(x, w, b, new Shape(padding, padding), ForwardPass.modeOf(ps, training));
        NDList halves = y.split(2, 1);
        return new NDList(halves.get(0).maximum(halves.get(1)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        if (kernel == 0) {
            return new Shape[] {new Shape(s.get(0), out)};
        }
        long h = s.get(2) + 2L * padding - kernel + 1;
        long w = s.get(3) + 2L * padding - kernel + 1;
        return new Shape[] {new Shape(s.get(0), out, h, w)};
    }

    @Override
    public String toString() {
        return kernel == 0 ? String.format("MFM(linear %d→%d)", in, out)
                : String.format("MFM(conv %d→%d, k%d p%d)", in, out, kernel, padding);
    }
}
