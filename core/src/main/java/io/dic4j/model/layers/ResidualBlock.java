package io.dic4j.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

/**
 * The hourglass residual block: 1×1 (in→out/2) + ReLU, 3×3 (out/2→out/2), 1×1 (out/2→out), plus the input
 * (through a 1×1 conv when the channel count changes). Without batch-norm (DIC's feedback hourglass) no
 * activation follows the 3×3 conv; with it (the evaluation's stacked hourglass) every conv, the skip's too, is
 * batch-normalised and the 3×3 conv is followed by a ReLU, as in the reference.
 */
public final class ResidualBlock extends CompositeBlock {

    private final int out;
    private final ConvLayer conv1;
    private final ConvLayer conv2;
    private final ConvLayer conv3;
    private final ConvLayer skip;

    /** The block without batch-norm. */
    public ResidualBlock(int in, int out) {
        this(in, out, false);
    }

    public ResidualBlock(int in, int out, boolean batchNorm) {
        this.out = out;
        int mid = out / 2;
        conv1 = addChildBlock("conv1", ConvLayer.builder(in, mid, 1).optBatchNorm(batchNorm)
                .optActivation(Activation.RELU).build());
        conv2 = addChildBlock("conv2", ConvLayer.builder(mid, mid, 3).optPadding(1).optBatchNorm(batchNorm)
                .optActivation(batchNorm ? Activation.RELU : Activation.NONE).build());
        conv3 = addChildBlock("conv3", ConvLayer.builder(mid, out, 1).optBatchNorm(batchNorm).build());
        skip = in == out ? null
                : addChildBlock("skip", ConvLayer.builder(in, out, 1).optBatchNorm(batchNorm).build());
    }

    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        return run(this, ps, x, training);
    }

    @Override
    protected NDList compute(ParameterStore ps, NDList inputs, boolean training) {
        NDArray x = inputs.singletonOrThrow();
        NDArray y = conv3.apply(ps, conv2.apply(ps, conv1.apply(ps, x, training), training), training);
        NDArray identity = skip == null ? x : skip.apply(ps, x, training);
        return new NDList(y.add(identity));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), out, s.get(2), s.get(3))};
    }
}
