package io.dic4j.model.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * SRFBN's up- and down-projections without forming the high-resolution image in between.
 *
 * <p>{@link TransposedConv} computes a transposed conv (kernel K, stride s, padding p) as a conv giving s² phase
 * channels per output channel over a grid of (H+T−1)×(W+T−1) blocks (T = ⌈K/s⌉), then interleaves the phases
 * (pixel shuffle) and crops p. At ×8 that interleaving is a strided copy as slow as the conv itself. In the feedback
 * block the high-resolution features only feed per-pixel ops (bias, activation, 1×1 convs over channel
 * concatenations) and a strided conv of the same K, s, p, so here the phases stay where the conv put them, in the
 * <em>phase layout</em> (N, C, s²·Hq, Wq): row (ry·s + rx)·Hq + by, column bx holds phase (ry, rx) of block
 * (by, bx), the image pixel (s·by + ry − p, s·bx + rx − p). Per-pixel ops work on that layout unchanged.
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
     * @return (N, Cout, s²·(H+T−1), W+T−1)
     */
    public static NDArray up(NDArray x, NDArray kernel, NDArray bias, int stride) {
        long cout = bias.getShape().get(0);
        long taps = kernel.getShape().get(2);
        // conv channel co·s² + phase gets output channel co's bias
        NDArray phaseBias = bias.reshape(cout, 1).repeat(1, (long) stride * stride).reshape(cout * stride * stride);
        NDArray y = Conv2d.conv2d(x, kernel, phaseBias, new Shape(1, 1), new Shape(taps - 1, taps - 1))
                .singletonOrThrow();
        Shape s = y.getShape();
        return y.reshape(s.get(0), cout, stride * stride * s.get(2), s.get(3));
    }

    /** A transposed conv's weight (Cin, Cout, K, K) → the kernel {@link #up} takes, (Cout·s², Cin, T, T). */
    public static NDArray upKernel(NDArray weight, int stride) {
        return TransposedConv.asConvWeight(weight, stride);
    }

    /**
     * The strided conv (same K, s, p as the transposed conv that made {@code phases}).
     *
     * @param phases (N, Cin, s²·Hq, Wq), the phase layout of an image of (Hq−T)·s − 2p + K rows (likewise columns)
     * @param kernel the strided conv's weight as {@link #downKernel} rearranges it
     * @param bias (Cout), owned by the manager of {@code phases}
     * @param kernelSize K
     * @return (N, Cout, Hq−T+1, Wq−T+1), the strided conv of the image
     */
    public static NDArray down(NDArray phases, NDArray kernel, NDArray bias, int kernelSize, int stride,
            int padding) {
        Shape ps = phases.getShape();
        long phaseCount = (long) stride * stride;
        long blockRows = ps.get(2) / phaseCount;
        long blockCols = ps.get(3);
        NDArray inside = imageMask(phases.getManager(), stride, padding, kernelSize, blockRows, blockCols);
        NDArray grid = phases.mul(inside).reshape(ps.get(0), ps.get(1) * phaseCount, blockRows, blockCols);
        return Conv2d.conv2d(grid, kernel, bias).singletonOrThrow();
    }

    /**
     * A strided conv's weight (Cout, Cin, K, K) → the kernel {@link #down} takes, (Cout, Cin·s², T, T): input
     * channel ci·s² + ry·s + rx, tap t ↔ kernel row s·t + ry (zero beyond K).
     */
    public static NDArray downKernel(NDArray weight, int stride) {
        Shape ws = weight.getShape();
        long cout = ws.get(0);
        long cin = ws.get(1);
        int taps = TransposedConv.taps(ws.get(2), stride);
        return TransposedConv.padKernel(weight, taps * stride)
                .reshape(cout, cin, taps, stride, taps, stride)
                .transpose(0, 1, 3, 5, 2, 4)
                .reshape(cout, cin * stride * stride, taps, taps);
    }

    /** The shape {@link #up} gives for an input of {@code input} and {@code channels} output channels. */
    public static Shape phaseShape(Shape input, long channels, int kernel, int stride) {
        int taps = TransposedConv.taps(kernel, stride);
        return new Shape(input.get(0), channels, (long) stride * stride * (input.get(2) + taps - 1),
                input.get(3) + taps - 1);
    }

    /** The shape of the image behind a phase layout of shape {@code phases}. */
    public static Shape imageShape(Shape phases, int kernel, int stride, int padding) {
        long blockRows = phases.get(2) / ((long) stride * stride);
        return new Shape(phases.get(0), phases.get(1), imageSize(blockRows, kernel, stride, padding),
                imageSize(phases.get(3), kernel, stride, padding));
    }

    /** The number of image rows (or columns) behind {@code blocks} rows (or columns) of blocks. */
    private static long imageSize(long blocks, int kernel, int stride, int padding) {
        return (blocks - TransposedConv.taps(kernel, stride)) * stride - 2L * padding + kernel;
    }

    /**
     * 1 where a grid pixel lies inside the image, 0 in the cropped border, laid out as the phases: (s²·Hq, Wq), the
     * product of a row mask over (ry, by) and a column mask over (rx, bx), so that only those are made in Java.
     */
    private static NDArray imageMask(NDManager m, int s, int padding, int kernel, long blockRows, long blockCols) {
        NDArray rows = Constants.of(m, inside(s, padding, imageSize(blockRows, kernel, s, padding), blockRows),
                new Shape(s, 1, blockRows, 1));
        NDArray cols = Constants.of(m, inside(s, padding, imageSize(blockCols, kernel, s, padding), blockCols),
                new Shape(1, s, 1, blockCols));
        return rows.mul(cols).reshape((long) s * s * blockRows, blockCols);
    }

    /** For phase r and block b (index r·blocks + b): 1 if image line s·b + r − p lies in [0, size), else 0. */
    private static float[] inside(int s, int padding, long size, long blocks) {
        float[] mask = new float[Math.toIntExact(s * blocks)];
        for (int r = 0; r < s; r++) {
            for (long b = 0; b < blocks; b++) {
                long line = b * s + r - padding;
                mask[Math.toIntExact(r * blocks + b)] = line >= 0 && line < size ? 1f : 0f;
            }
        }
        return mask;
    }
}
