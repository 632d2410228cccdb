package io.dic4j.model.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/** PyTorch's {@code PixelShuffle}: (N, C·r², H, W) → (N, C, H·r, W·r). DJL has no such op. */
public final class PixelShuffle {

    private PixelShuffle() {}

    public static NDArray apply(NDArray x, int factor) {
        Shape s = x.getShape();
        long c = s.get(1) / ((long) factor * factor);
        long h = s.get(2);
        long w = s.get(3);
        // channel index c·r² + i·r + j lands on row h·r + i, column w·r + j
        return x.reshape(-1, c, factor, factor, h, w)
                .transpose(0, 1, 4, 2, 5, 3)
                .reshape(-1, c, h * factor, w * factor);
    }
}
