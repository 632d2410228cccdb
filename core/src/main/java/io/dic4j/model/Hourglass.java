package io.dic4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import io.dic4j.model.layers.CompositeBlock;
import io.dic4j.model.layers.ResidualBlock;
import io.dic4j.model.ops.LinearResize;

/**
 * A residual hourglass, its blocks batch-normalised or not ({@link ResidualBlock}). Level n: {@code up = up_n(x)}; {@code low = down_n(maxpool(x))},
 * passed through level n−1 (or the centre block at level 1) and {@code after_n}; the result is
 * {@code up + bilinear×2(low)} with aligned corners. Channels stay constant.
 */
public final class Hourglass extends CompositeBlock {

    private final int depth;
    private final ResidualBlock[] up;
    private final ResidualBlock[] down;
    private final ResidualBlock[] after;
    private final ResidualBlock center;

    public Hourglass(int depth, int channels, boolean batchNorm) {
        this.depth = depth;
        up = new ResidualBlock[depth + 1];
        down = new ResidualBlock[depth + 1];
        after = new ResidualBlock[depth + 1];
        for (int n = depth; n >= 1; n--) {
            up[n] = addChildBlock("up" + n, "res" + n + "_1", new ResidualBlock(channels, channels, batchNorm));
            down[n] = addChildBlock("down" + n, "res" + n + "_2", new ResidualBlock(channels, channels, batchNorm));
        }
        center = addChildBlock("center", "res_center", new ResidualBlock(channels, channels, batchNorm));
        for (int n = 1; n <= depth; n++) {
            after[n] = addChildBlock("after" + n, "res" + n + "_3", new ResidualBlock(channels, channels, batchNorm));
        }
    }

    @Override
    protected NDList compute(ParameterStore ps, NDList inputs, boolean training) {
        return new NDList(level(depth, ps, inputs.singletonOrThrow(), training));
    }

    private NDArray level(int n, ParameterStore ps, NDArray x, boolean training) {
        NDArray upper = run(up[n], ps, x, training);
        NDArray pooled = Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
        NDArray low = run(down[n], ps, pooled, training);
        low = n > 1 ? level(n - 1, ps, low, training) : run(center, ps, low, training);
        low = run(after[n], ps, low, training);
        return upper.add(LinearResize.upsample(low, 2, true));
    }

    /** The multiply-accumulates of a forward on an input of {@code shape}. */
    public long macs(Shape shape) {
        return macs(depth, shape);
    }

    private long macs(int n, Shape shape) {
        Shape pooled = pooled(shape);
        long inner = n > 1 ? macs(n - 1, pooled) : center.macs(pooled);
        return up[n].macs(shape) + down[n].macs(pooled) + inner + after[n].macs(pooled);
    }

    /** The shape after a 2×2 max-pool of stride 2. */
    static Shape pooled(Shape s) {
        return new Shape(s.get(0), s.get(1), s.get(2) / 2, s.get(3) / 2);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }
}
