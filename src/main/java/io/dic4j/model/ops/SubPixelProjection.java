package io.dic4j.model.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.jni.JniUtils;

/**
 * SRFBN's up- and down-projections without forming the high-resolution image in between.
 *
 * <p>{@link TransposedConv} computes a transposed conv (kernel K, stride s, padding p) as a conv giving s² phase
 * channels per output channel over a grid of (H+T−1)×(W+T−1) blocks (T = ⌈K/s⌉), then interleaves the phases
 * (pixel shuffle) and crops p. At ×8 that interleaving is a strided copy as slow as the conv itself. In the feedback
 * block the high-resolution features only feed per-pixel ops (bias, activation, 1×1 convs over channel
 * concatenations) and a strided conv of the same K, s, p, so here the phases stay where the conv put them, in the
 * <em>phase layout</em> (N, C, Hq, Wq·s²): row by, column bx·s² + ry·s + rx holds phase (ry, rx) of block (by, bx),
 * the image pixel (s·by + ry − p, s·bx + rx − p). Per-pixel ops work on that layout unchanged.
 *
 * <p>The tensors are channels-last (stored (N, Hq, Wq, s², C)): that is the memory of a channels-last conv output
 * with s² phase-major channel groups, so both projections reach it by views, and oneDNN runs channels-last convs
 * without converting their inputs and outputs to its blocked format and back. With plain (N, C, H, W) tensors those
 * conversions took ~40% of each ×8 1×1 compression and a fifth of each projection (docs/performance.md). The
 * reshapes go through (N, H, W, C) views because PyTorch assigns a batch of one the stride of the merged dims after
 * it, which would no longer read as channels-last.
 *
 * <p>The strided conv's output o reads image rows s·o − p … s·o − p + K − 1, which are blocks o … o + T − 1 whole:
 * a T×T conv without padding over the s²·C phase channels, its kernel cut into phases (zero beyond K). Grid pixels
 * outside the image (the transposed conv's crop) are zeroed first, standing for the strided conv's zero padding.
 */
public final class SubPixelProjection {

    private SubPixelProjection() {}

    /**
     * The transposed conv, in the phase layout.
     *
     * @param x (N, Cin, H, W)
     * @param kernel the transposed conv's weight as {@link #upKernel} rearranges it
     * @param bias (Cout), owned by the manager of {@code x} (see {@link Local})
     * @return (N, Cout, H+T−1, s²·(W+T−1)), channels-last
     */
    public static NDArray up(NDArray x, NDArray kernel, NDArray bias, int stride) {
        long cout = bias.getShape().get(0);
        long taps = kernel.getShape().get(2);
        long phaseCount = (long) stride * stride;
        // conv channel phase·Cout + co gets output channel co's bias
        NDArray phaseBias = bias.reshape(1, cout).repeat(0, phaseCount).reshape(phaseCount * cout);
        NDArray y = Conv2d.conv2d(x, kernel, phaseBias, new Shape(1, 1), new Shape(taps - 1, taps - 1))
                .singletonOrThrow();
        Shape s = y.getShape();
        // channels-last (N, s²·Cout, Hq, Wq) is stored as (N, Hq, Wq, s², Cout): the phase layout, so this is a view
        return y.transpose(0, 2, 3, 1).reshape(s.get(0), s.get(2), s.get(3) * phaseCount, cout)
                .transpose(0, 3, 1, 2);
    }

    /**
     * A transposed conv's weight (Cin, Cout, K, K) → the kernel {@link #up} takes, (s²·Cout, Cin, T, T), output
     * channel (ry·s + rx)·Cout + co, stored channels-last so that the conv's output is.
     */
    public static NDArray upKernel(NDArray weight, int stride) {
        Shape ws = weight.getShape();
        long cin = ws.get(0);
        long cout = ws.get(1);
        long phaseCount = (long) stride * stride;
        NDArray k = TransposedConv.asConvWeight(weight, stride); // channel co·s² + phase
        long taps = k.getShape().get(2);
        return channelsLast(k.reshape(cout, phaseCount, cin, taps, taps).transpose(1, 0, 2, 3, 4)
                .reshape(phaseCount * cout, cin, taps, taps));
    }

    /**
     * The strided conv (same K, s, p as the transposed conv that made {@code phases}).
     *
     * @param phases (N, Cin, Hq, s²·Wq), the phase layout of an image of (Hq−T)·s − 2p + K rows (likewise columns);
     *     channels-last, or the conv copies it. Where no gradient is recorded its border (the grid pixels outside the
     *     image) is zeroed in place, saving a masked copy: those pixels mean nothing in the phase layout (per-pixel
     *     ops keep whatever they hold to themselves) except here, where they must be the strided conv's zero padding
     * @param kernel the strided conv's weight as {@link #downKernel} rearranges it
     * @param bias (Cout), owned by the manager of {@code phases}
     * @param kernelSize K
     * @return (N, Cout, Hq−T+1, Wq−T+1), the strided conv of the image
     */
    public static NDArray down(NDArray phases, NDArray kernel, NDArray bias, int kernelSize, int stride,
            int padding) {
        Shape ps = phases.getShape();
        long phaseCount = (long) stride * stride;
        long blockRows = ps.get(2);
        long blockCols = ps.get(3) / phaseCount;
        NDArray stored = phases.transpose(0, 2, 3, 1); // (N, Hq, Wq·s², Cin): the order of the memory
        if (JniUtils.isGradMode()) {
            // autograd may keep phases for the backward pass of the op that made them: a masked copy
            stored = stored.mul(imageMask(phases.getManager(), stride, padding, kernelSize, blockRows, blockCols));
        } else {
            zeroBorder(phases, stride, padding, kernelSize, blockRows, blockCols);
        }
        // viewed as (N, Hq, Wq, s²·Cin) and transposed: the channels-last grid (N, s²·Cin, Hq, Wq), channel
        // phase·Cin + ci
        NDArray grid = stored.reshape(ps.get(0), blockRows, blockCols, phaseCount * ps.get(1)).transpose(0, 3, 1, 2);
        return Conv2d.conv2d(grid, kernel, bias).singletonOrThrow();
    }

    /**
     * A strided conv's weight (Cout, Cin, K, K) → the kernel {@link #down} takes, (Cout, s²·Cin, T, T): input
     * channel (ry·s + rx)·Cin + ci, tap t ↔ kernel row s·t + ry (zero beyond K); stored channels-last like the
     * input, which PyTorch would otherwise convert the kernel to at every call.
     */
    public static NDArray downKernel(NDArray weight, int stride) {
        Shape ws = weight.getShape();
        long cout = ws.get(0);
        long cin = ws.get(1);
        int taps = TransposedConv.taps(ws.get(2), stride);
        return channelsLast(TransposedConv.padKernel(weight, taps * stride)
                .reshape(cout, cin, taps, stride, taps, stride)
                .transpose(0, 3, 5, 1, 2, 4)
                .reshape(cout, (long) stride * stride * cin, taps, taps));
    }

    /** {@code k} (O, I, T, T) with channels-last strides: the same values, stored (O, T, T, I). */
    private static NDArray channelsLast(NDArray k) {
        Shape s = k.getShape();
        // flattening the permuted view copies it in (O, T, T, I) order; the reshape and transpose are views
        return k.transpose(0, 2, 3, 1).flatten().reshape(s.get(0), s.get(2), s.get(3), s.get(1))
                .transpose(0, 3, 1, 2);
    }

    /** The shape {@link #up} gives for an input of {@code input} and {@code channels} output channels. */
    public static Shape phaseShape(Shape input, long channels, int kernel, int stride) {
        int taps = TransposedConv.taps(kernel, stride);
        return new Shape(input.get(0), channels, input.get(2) + taps - 1,
                (long) stride * stride * (input.get(3) + taps - 1));
    }

    /** The shape of the image behind a phase layout of shape {@code phases}. */
    public static Shape imageShape(Shape phases, int kernel, int stride, int padding) {
        long blockCols = phases.get(3) / ((long) stride * stride);
        return new Shape(phases.get(0), phases.get(1), imageSize(phases.get(2), kernel, stride, padding),
                imageSize(blockCols, kernel, stride, padding));
    }

    /** The number of image rows (or columns) behind {@code blocks} rows (or columns) of blocks. */
    private static long imageSize(long blocks, int kernel, int stride, int padding) {
        return (blocks - TransposedConv.taps(kernel, stride)) * stride - 2L * padding + kernel;
    }

    /**
     * 1 where a grid pixel lies inside the image, 0 in the cropped border, laid out as the phases: (Hq, Wq·s², 1), the
     * product of a row mask over (by, ry) and a column mask over (bx, rx), so that only those are made in Java.
     */
    private static NDArray imageMask(NDManager m, int s, int padding, int kernel, long blockRows, long blockCols) {
        NDArray rows = Constants.of(m, inside(s, padding, imageSize(blockRows, kernel, s, padding), blockRows),
                new Shape(blockRows, 1, s, 1));
        NDArray cols = Constants.of(m, inside(s, padding, imageSize(blockCols, kernel, s, padding), blockCols),
                new Shape(1, blockCols, 1, s));
        return rows.mul(cols).reshape(blockRows, blockCols * s * s, 1);
    }

    /** For block b and phase r (index b·s + r): 1 if image line s·b + r − p lies in [0, size), else 0. */
    private static float[] inside(int s, int padding, long size, long blocks) {
        float[] mask = new float[Math.toIntExact(s * blocks)];
        for (long b = 0; b < blocks; b++) {
            long[] in = insidePhases(s, padding, size, b);
            for (long r = in[0]; r < in[1]; r++) {
                mask[Math.toIntExact(b * s + r)] = 1f;
            }
        }
        return mask;
    }

    /** Zeroes, in place, the grid pixels of {@code phases} outside the image: a few thin strips of blocks. */
    private static void zeroBorder(NDArray phases, int s, int padding, int kernel, long blockRows, long blockCols) {
        Shape ps = phases.getShape();
        NDArray blocks = phases.reshape(ps.get(0), ps.get(1), blockRows, blockCols, s, s); // a view
        zeroOutside(blocks, ":, :, {}, :, {}:{}, :", s, padding, imageSize(blockRows, kernel, s, padding), blockRows);
        zeroOutside(blocks, ":, :, :, {}, :, {}:{}", s, padding, imageSize(blockCols, kernel, s, padding), blockCols);
    }

    /** Zeroes {@code blocks[index(b, r0, r1)]} for the runs r0 ≤ r < r1 of each block b's phases outside the image. */
    private static void zeroOutside(NDArray blocks, String index, int s, int padding, long size, long count) {
        for (long b = 0; b < count; b++) {
            long[] in = insidePhases(s, padding, size, b);
            if (in[0] >= in[1]) {
                blocks.set(new NDIndex(index, b, 0, s), 0f);
                continue;
            }
            if (in[0] > 0) {
                blocks.set(new NDIndex(index, b, 0, in[0]), 0f);
            }
            if (in[1] < s) {
                blocks.set(new NDIndex(index, b, in[1], s), 0f);
            }
        }
    }

    /**
     * The phases [first, end) of block b whose image lines s·b + r − p lie in [0, size): the rest of the block is
     * before the first line or past the last (first ≥ end: the whole block).
     */
    private static long[] insidePhases(int s, int padding, long size, long b) {
        long first = Math.min(s, Math.max(0, padding - s * b));
        long end = Math.min(s, Math.max(0, size + padding - s * b));
        return new long[] {first, end};
    }
}
