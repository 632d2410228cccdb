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
        // the reference's conv_block Sequential: conv1, [BN,] ReLU, conv2, [BN, ReLU,] conv3[, BN]
        conv1 = addChildBlock("conv1", "conv_block.0", ConvLayer.builder(in, mid, 1).optBatchNorm(batchNorm)
                .optActivation(Activation.RELU).build());
        conv2 = addChildBlock("conv2", batchNorm ? "conv_block.3" : "conv_block.2",
                ConvLayer.builder(mid, mid, 3).optPadding(1).optBatchNorm(batchNorm)
                        .optActivation(batchNorm ? Activation.RELU : Activation.NONE).build());
        conv3 = addChildBlock("conv3", batchNorm ? "conv_block.6" : "conv_block.3",
                ConvLayer.builder(mid, out, 1).optBatchNorm(batchNorm).build());
        skip = in == out ? null : addChildBlock("skip", batchNorm ? "skip_layer.0" : "skip_layer",
                ConvLayer.builder(in, out, 1).optBatchNorm(batchNorm).build());
    }

    @Override
    protected NDList compute(ParameterStore ps, NDList inputs, boolean training) {
        NDArray x = inputs.singletonOrThrow();
        NDArray y = run(conv3, ps, run(conv2, ps, run(conv1, ps, x, training), training), training);
        NDArray identity = skip == null ? x : run(skip, ps, x, training);
        return new NDList(y.add(identity));
    }

    /** The multiply-accumulates of a forward on an input of {@code shape}. */
    public long macs(Shape shape) {
        Shape mid = output(conv1, shape);
        long convs = conv1.macs(shape) + conv2.macs(mid) + conv3.macs(output(conv2, mid));
        return skip == null ? convs : convs + skip.macs(shape);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), out, s.get(2), s.get(3))};
    }
}
