package io.dic4j.model.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.dic4j.model.layers.ForwardMode;

/**
 * PyTorch's {@code ConvTranspose2d} (groups 1, dilation 1) as an ordinary convolution followed by a pixel
 * shuffle, since DJL's PyTorch engine has no transposed convolution.
 *
 * <p>Output row {@code y' = s·q + r} (before cropping the padding) receives input row {@code q − j} through
 * kernel row {@code s·j + r}, for {@code j < T = ceil(K/s)}. So a convolution with padding {@code T−1} over
 * the input, whose {@code s²} output channel groups hold the flipped kernel phases, computes every phase at
 * once; the pixel shuffle interleaves them and the crop removes PyTorch's padding. The trainable weight
 * stays in PyTorch's (Cin, Cout, K, K) layout; the rearrangement is differentiable.
 */
public final class TransposedConv {

    private TransposedConv() {}

    /**
     * @param x (N, Cin, H, W)
     * @param weight (Cin, Cout, K, K), PyTorch layout, owned by the manager of {@code x} (see {@link Local})
     * @param bias (Cout) or null, likewise
     * @param mode the pass the conv is part of
     */
    public static NDArray apply(NDArray x, NDArray weight, NDArray bias, int stride, int padding, ForwardMode mode) {
        return applyKernel(x, asConvWeight(weight, stride), bias, (int) weight.getShape().get(2), stride, padding,
                mode);
    }

    /**
     * {@link #apply} with the weight already rearranged by {@link #asConvWeight}, so that a caller can keep it.
     *
     * @param kernel (Cout·s·s, Cin, T, T)
     * @param k the transposed conv's kernel size K
     */
    public static NDArray applyKernel(NDArray x, NDArray kernel, NDArray bias, int k, int stride, int padding,
            ForwardMode mode) {
        long cout = kernel.getShape().get(0) / ((long) stride * stride);
        int taps = taps(k, stride);
        NDArray y = Convolution.apply(x, kernel, null, new Shape(taps - 1, taps - 1), mode);
        y = PixelShuffle.apply(y, stride);
        long outH = (x.getShape().get(2) - 1) * stride - 2L * padding + k;
        long outW = (x.getShape().get(3) - 1) * stride - 2L * padding + k;
        y = y.get(new NDIndex(":, :, {}:{}, {}:{}", padding, padding + outH, padding, padding + outW));
        return bias == null ? y : y.add(bias.reshape(1, cout, 1, 1));
    }

    /** (Cin, Cout, K, K) → (Cout·s·s, Cin, T, T), channel {@code co·s² + ry·s + rx}, tap m ↔ kernel s·(T−1−m)+r. */
    public static NDArray asConvWeight(NDArray weight, int s) {
        Shape ws = weight.getShape();
        long cin = ws.get(0);
        long cout = ws.get(1);
        int taps = taps(ws.get(2), s);
        return padKernel(weight, taps * s)
                .reshape(cin, cout, taps, s, taps, s)
                .flip(2, 4)
                .transpose(1, 3, 5, 0, 2, 4)
                .reshape(cout * s * s, cin, taps, taps);
    }

    /** T = ⌈K/s⌉: the input rows each output row reads. */
    static int taps(long kernel, int stride) {
        return (int) ((kernel + stride - 1) / stride);
    }

    /** The kernel (A, B, K, K) zero-padded at its end to (A, B, size, size). */
    static NDArray padKernel(NDArray weight, int size) {
        Shape ws = weight.getShape();
        long k = ws.get(2);
        if (size == k) {
            return weight;
        }
        NDManager m = weight.getManager();
        NDArray w = weight.concat(m.zeros(new Shape(ws.get(0), ws.get(1), size - k, k), weight.getDataType()), 2);
        return w.concat(m.zeros(new Shape(ws.get(0), ws.get(1), size, size - k), weight.getDataType()), 3);
    }
}
