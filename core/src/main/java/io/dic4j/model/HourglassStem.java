package io.dic4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import io.dic4j.model.layers.Activation;
import io.dic4j.model.layers.CompositeBlock;
import io.dic4j.model.layers.ConvLayer;
import io.dic4j.model.layers.ResidualBlock;

/**
 * The hourglasses' stem, shared by DIC's feedback hourglass and the evaluation's stacked hourglass: a 7×7 conv of
 * stride 2 (batch-normalised in the stacked one) with ReLU to F/4 channels, a residual block to F/2, a 2×2
 * max-pool, and two residual blocks to F: (N, C, H, W) → (N, F, H/4, W/4).
 */
final class HourglassStem extends CompositeBlock {

    private final int features;
    private final ConvLayer conv;
    private final ResidualBlock res1;
    private final ResidualBlock res2;
    private final ResidualBlock res3;

    HourglassStem(int imageChannels, int features, boolean batchNorm) {
        this.features = features;
        // the reference's Sequential: conv, [BatchNorm2d,] ReLU, res1, MaxPool2d, res2, res3
        int res1At = batchNorm ? 3 : 2;
        conv = addChildBlock("conv", "0", ConvLayer.builder(imageChannels, features / 4, 7).optStride(2).optPadding(3)
                .optBatchNorm(batchNorm).optActivation(Activation.RELU).build());
        res1 = addChildBlock("res1", String.valueOf(res1At), new ResidualBlock(features / 4, features / 2, batchNorm));
        res2 = addChildBlock("res2", String.valueOf(res1At + 2),
                new ResidualBlock(features / 2, features / 2, batchNorm));
        res3 = addChildBlock("res3", String.valueOf(res1At + 3), new ResidualBlock(features / 2, features, batchNorm));
    }

    @Override
    protected NDList compute(ParameterStore ps, NDList inputs, boolean training) {
        NDArray x = run(res1, ps, run(conv, ps, inputs.singletonOrThrow(), training), training);
        x = Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
        return new NDList(run(res3, ps, run(res2, ps, x, training), training));
    }

    /** The multiply-accumulates of a forward on an image of {@code shape}. */
    long macs(Shape shape) {
        Shape half = output(conv, shape);
        Shape quarter = Hourglass.pooled(output(res1, half));
        return conv.macs(shape) + res1.macs(half) + res2.macs(quarter) + res3.macs(output(res2, quarter));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), features, s.get(2) / 4, s.get(3) / 4)};
    }
}
