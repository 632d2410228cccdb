package io.dic4j.model.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.dic4j.model.layers.ForwardMode;
import java.util.ArrayList;
import java.util.List;

/**
 * SRFBN's up- and down-projections (a transposed conv and a strided conv of the same kernel K, stride s, padding p)
 * without forming the high-resolution image in between.
 *
 * <p>{@link TransposedConv} computes a transposed conv as a conv giving s² phase channels per output channel over a
 * grid of (H+T−1)×(W+T−1) blocks (T = ⌈K/s⌉), then interleaves the phases (pixel shuffle) and crops p. At ×8 that
 * interleaving is a strided copy as slow as the conv itself. In the feedback block the high-resolution features only
 * feed per-pixel ops (bias, activation, 1×1 convs over channel concatenations) and the strided conv, so here the
 * phases stay where the conv put them: block (by, bx), phase (ry, rx) holds the image pixel
 * (s·by + ry − p, s·bx + rx − p). Per-pixel ops work on that <em>phase layout</em> unchanged.
 *
 * <p>Phase r of a block reads ⌈(K − r)/s⌉ input rows: T for r below K − s·(T−1), T − 1 for the rest (at ×8, K 12:
 * phases 0–3 two rows, 4–7 one). One conv over all phases would carry the missing taps as zeros (44% of the ×8
 * projections' work); so the layout is split into <em>parts</em>, one per pair of row and column classes (four at ×8,
 * one where s divides K), each made by a conv of exactly its taps and read by one. Part (rows, cols) is a tensor
 * (N, C, Hp, Wp·n), n its phases, with Hp = H + taps − 1 blocks (the short class's last block would hold only the
 * crop: it is left out); column bx·n + i holds its i-th phase (row-major within the part) of block (by, bx).
 *
 * <p>The parts are channels-last (stored (N, Hp, Wp, n, C)): the memory of a channels-last conv output with n
 * phase-major channel groups, so both projections reach them by views, and oneDNN runs channels-last convs without
 * converting their inputs and outputs to its blocked format and back (with plain tensors those conversions were a
 * large share of each ×8 1×1 compression, docs/performance.md). The reshapes go through (N, H, W, C) views because PyTorch assigns a batch of
 * one the stride of the merged dims after it, which would no longer read as channels-last.
 *
 * <p>The strided conv's output o reads image rows s·o − p … s·o − p + K − 1, which are blocks o … o + T − 1 whole,
 * phase r of block o + t through kernel row s·t + r: per part a conv without padding over its phase channels, the
 * parts' results summed. Grid pixels outside the image (the transposed conv's crop) are zeroed first, standing for
 * the strided conv's zero padding.
 */
public final class SubPixelProjection {

    /** The phases [first, end) of a block along one axis, each reading {@code taps} input rows (or columns). */
    private record Span(int first, int end, int taps) {
        int size() {
            return end - first;
        }
    }

    /** A part of the layout: the phases whose row lies in {@code rows} and column in {@code cols}. */
    private record Part(Span rows, Span cols) {
        int phases() {
            return rows.size() * cols.size();
        }
    }

    private final int kernel;
    private final int stride;
    private final int padding;
    private final int taps;
    private final List<Part> parts;
    /** The phases of the largest part: the up-projection's bias is repeated that often, once for all parts. */
    private final int mostPhases;

    /** The projections of kernel K, stride s, padding p; K ≥ s (else some phases would read no input at all). */
    public SubPixelProjection(int kernel, int stride, int padding) {
        if (stride < 2 || kernel < stride || padding < 0) {
            throw new IllegalArgumentException(String.format(
                    "the phase layout needs stride ≥ 2, kernel ≥ stride, padding ≥ 0: kernel %d, stride %d, padding %d",
                    kernel, stride, padding));
        }
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        taps = TransposedConv.taps(kernel, stride);
        int longPhases = kernel - stride * (taps - 1); // phases below read T rows, the rest T − 1
        List<Span> spans = longPhases == stride ? List.of(new Span(0, stride, taps))
                : List.of(new Span(0, longPhases, taps), new Span(longPhases, stride, taps - 1));
        List<Part> all = new ArrayList<>();
        for (Span rows : spans) {
            for (Span cols : spans) {
                all.add(new Part(rows, cols));
            }
        }
        parts = List.copyOf(all);
        mostPhases = parts.stream().mapToInt(Part::phases).max().orElseThrow();
    }

    /**
     * The transposed conv, in the phase layout.
     *
     * @param x (N, Cin, H, W)
     * @param kernels the transposed conv's weight as {@link #upKernels} rearranges it
     * @param bias (Cout), owned by the manager of {@code x} (see {@link Local})
     * @param mode the pass these convs are part of
     * @return the parts, as {@link #phaseShapes}, channels-last
     */
    public NDList up(NDArray x, NDList kernels, NDArray bias, ForwardMode mode) {
        long cout = bias.getShape().get(0);
        // conv channel i·Cout + co gets output channel co's bias; a smaller part takes the start
        NDArray phaseBias = bias.reshape(1, cout).broadcast(mostPhases, cout).reshape(mostPhases * cout);
        NDList out = new NDList(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            Part part = parts.get(i);
            int n = part.phases();
            NDArray b = n == mostPhases ? phaseBias : phaseBias.get(new NDIndex("0:{}", n * cout));
            NDArray y = Convolution.applyChannelsLast(x, kernels.get(i), b,
                    new Shape(part.rows().taps() - 1, part.cols().taps() - 1), mode);
            Shape s = y.getShape();
            // channels-last (N, n·Cout, Hp, Wp) is stored as (N, Hp, Wp, n, Cout): the part, so this is a view
            out.add(y.transpose(0, 2, 3, 1).reshape(s.get(0), s.get(2), s.get(3) * n, cout).transpose(0, 3, 1, 2));
        }
        return out;
    }

    /**
     * A transposed conv's weight (Cin, Cout, K, K) → the kernels {@link #up} takes, one per part: (n·Cout, Cin, ty,
     * tx), output channel i·Cout + co for the part's i-th phase, stored channels-last so that the conv's output is.
     */
    public NDList upKernels(NDArray weight) {
        Shape ws = weight.getShape();
        long cin = ws.get(0);
        long cout = ws.get(1);
        // (Cout, ry, rx, Cin, my, mx); tap m reads kernel row s·(T−1−m) + r, so a short phase's missing tap is m 0
        NDArray all = TransposedConv.asConvWeight(weight, stride).reshape(cout, stride, stride, cin, taps, taps);
        NDList kernels = new NDList(parts.size());
        for (Part part : parts) {
            Span r = part.rows();
            Span c = part.cols();
            kernels.add(channelsLast(all.get(new NDIndex(":, {}:{}, {}:{}, :, {}:{}, {}:{}", r.first(), r.end(),
                            c.first(), c.end(), taps - r.taps(), taps, taps - c.taps(), taps))
                    .transpose(1, 2, 0, 3, 4, 5)
                    .reshape(part.phases() * cout, cin, r.taps(), c.taps())));
        }
        return kernels;
    }

    /**
     * The strided conv.
     *
     * @param phases the parts {@link #up} made (or per-pixel ops of them); channels-last, or the convs copy them.
     *     Where no graph is recorded their border (the grid pixels outside the image) is zeroed in place, saving
     *     a masked copy: those pixels mean nothing in the phase layout (per-pixel ops keep whatever they hold to
     *     themselves) except here, where they must be the strided conv's zero padding
     * @param kernels the strided conv's weight as {@link #downKernels} rearranges it
     * @param bias (Cout), owned by the manager of the phases
     * @param mode the pass these convs are part of
     * @return (N, Cout, H, W), the strided conv of the image, H×W the input of the up-projection
     */
    public NDArray down(NDList phases, NDList kernels, NDArray bias, ForwardMode mode) {
        boolean recorded = mode.recordsGraph();
        Shape image = imageShape(phases.get(0).getShape());
        NDArray sum = null;
        for (int i = 0; i < parts.size(); i++) {
            Part part = parts.get(i);
            NDArray p = phases.get(i);
            Shape ps = p.getShape();
            long rows = ps.get(2);
            long cols = ps.get(3) / part.phases();
            NDArray stored = p.transpose(0, 2, 3, 1); // (N, Hp, Wp·n, Cin): the order of the memory
            if (recorded) {
                // autograd may keep the part for the backward pass of the op that made it: a masked copy
                NDArray mask = imageMask(p.getManager(), part, image, rows, cols);
                if (mask != null) {
                    stored = stored.mul(mask);
                }
            } else {
                zeroBorder(p, part, image, rows, cols);
            }
            // viewed as (N, Hp, Wp, n·Cin) and transposed: the channels-last grid (N, n·Cin, Hp, Wp)
            NDArray grid = stored.reshape(ps.get(0), rows, cols, part.phases() * ps.get(1)).transpose(0, 3, 1, 2);
            NDArray y = Convolution.applyChannelsLast(grid, kernels.get(i), i == 0 ? bias : null, new Shape(0, 0),
                    mode);
            sum = sum == null ? y : recorded ? sum.add(y) : sum.addi(y);
        }
        return sum;
    }

    /**
     * A strided conv's weight (Cout, Cin, K, K) → the kernels {@link #down} takes, one per part: (Cout, n·Cin, ty,
     * tx), input channel i·Cin + ci for the part's i-th phase, tap t ↔ kernel row s·t + r; stored channels-last like
     * the input, which PyTorch would otherwise convert the kernel to at every call.
     */
    public NDList downKernels(NDArray weight) {
        Shape ws = weight.getShape();
        long cout = ws.get(0);
        long cin = ws.get(1);
        // (Cout, ry, rx, Cin, ty, tx); a short phase's missing tap is the last, beyond K
        NDArray all = TransposedConv.padKernel(weight, taps * stride)
                .reshape(cout, cin, taps, stride, taps, stride)
                .transpose(0, 3, 5, 1, 2, 4);
        NDList kernels = new NDList(parts.size());
        for (Part part : parts) {
            Span r = part.rows();
            Span c = part.cols();
            kernels.add(channelsLast(all.get(new NDIndex(":, {}:{}, {}:{}, :, 0:{}, 0:{}", r.first(), r.end(),
                            c.first(), c.end(), r.taps(), c.taps()))
                    .reshape(cout, part.phases() * cin, r.taps(), c.taps())));
        }
        return kernels;
    }

    /** {@code k} (O, I, ty, tx) with channels-last strides: the same values, stored (O, ty, tx, I). */
    private static NDArray channelsLast(NDArray k) {
        Shape s = k.getShape();
        // flattening the permuted view copies it in (O, ty, tx, I) order; the reshape and transpose are views
        return k.transpose(0, 2, 3, 1).flatten().reshape(s.get(0), s.get(2), s.get(3), s.get(1))
                .transpose(0, 3, 1, 2);
    }

    /** The shapes of the parts {@link #up} gives for an input of {@code input} and {@code channels} output channels. */
    public Shape[] phaseShapes(Shape input, long channels) {
        Shape[] shapes = new Shape[parts.size()];
        for (int i = 0; i < shapes.length; i++) {
            Part part = parts.get(i);
            shapes[i] = new Shape(input.get(0), channels, input.get(2) + part.rows().taps() - 1,
                    part.phases() * (input.get(3) + part.cols().taps() - 1));
        }
        return shapes;
    }

    /** The shape of the image behind a phase layout whose first part has shape {@code firstPart}. */
    public Shape imageShape(Shape firstPart) {
        long rows = firstPart.get(2) - taps + 1; // the input of the up-projection
        long cols = firstPart.get(3) / parts.get(0).phases() - taps + 1;
        return new Shape(firstPart.get(0), firstPart.get(1), imageSize(rows), imageSize(cols));
    }

    /** The transposed conv's output rows (or columns) for {@code input} input rows. */
    private long imageSize(long input) {
        return (input - 1) * stride - 2L * padding + kernel;
    }

    /**
     * 1 where a pixel of {@code part} lies inside the image, 0 in the cropped border, laid out as the part: (Hp,
     * Wp·n, 1), the product of a row mask over (by, ry) and a column mask over (bx, rx), so that only those are made
     * in Java; null where the part has no border.
     */
    private NDArray imageMask(NDManager m, Part part, Shape image, long rows, long cols) {
        float[] rowMask = inside(part.rows(), image.get(2), rows);
        float[] colMask = inside(part.cols(), image.get(3), cols);
        if (allOnes(rowMask) && allOnes(colMask)) {
            return null;
        }
        NDArray r = Constants.of(m, rowMask, new Shape(rows, 1, part.rows().size(), 1));
        NDArray c = Constants.of(m, colMask, new Shape(1, cols, 1, part.cols().size()));
        return r.mul(c).reshape(rows, cols * part.phases(), 1);
    }

    /** For block b and the span's i-th phase (index b·n + i): 1 if its image line lies in [0, size), else 0. */
    private float[] inside(Span span, long size, long blocks) {
        int n = span.size();
        float[] mask = new float[Math.toIntExact(n * blocks)];
        for (long b = 0; b < blocks; b++) {
            long[] in = insidePhases(span, size, b);
            for (long i = in[0]; i < in[1]; i++) {
                mask[Math.toIntExact(b * n + i)] = 1f;
            }
        }
        return mask;
    }

    private static boolean allOnes(float[] mask) {
        for (float v : mask) {
            if (v != 1f) {
                return false;
            }
        }
        return true;
    }

    /** Zeroes, in place, the pixels of {@code part} outside the image: a few thin strips of blocks. */
    private void zeroBorder(NDArray p, Part part, Shape image, long rows, long cols) {
        Shape ps = p.getShape();
        // a view: (N, C, Hp, Wp, ny, nx)
        NDArray blocks = p.reshape(ps.get(0), ps.get(1), rows, cols, part.rows().size(), part.cols().size());
        zeroOutside(blocks, ":, :, {}, :, {}:{}, :", part.rows(), image.get(2), rows);
        zeroOutside(blocks, ":, :, :, {}, :, {}:{}", part.cols(), image.get(3), cols);
    }

    /** Zeroes {@code blocks[index(b, i0, i1)]} for the runs i0 ≤ i < i1 of each block b's phases outside the image. */
    private void zeroOutside(NDArray blocks, String index, Span span, long size, long count) {
        int n = span.size();
        for (long b = 0; b < count; b++) {
            long[] in = insidePhases(span, size, b);
            if (in[0] >= in[1]) {
                blocks.set(new NDIndex(index, b, 0, n), 0f);
                continue;
            }
            if (in[0] > 0) {
                blocks.set(new NDIndex(index, b, 0, in[0]), 0f);
            }
            if (in[1] < n) {
                blocks.set(new NDIndex(index, b, in[1], n), 0f);
            }
        }
    }

    /**
     * The span's phases [first, end) (counted from the span's first) of block b whose image lines s·b + r − p lie in
     * [0, size): the rest are before the first line or past the last (first ≥ end: the whole block).
     */
    private long[] insidePhases(Span span, long size, long b) {
        long lineOfFirst = stride * b + span.first() - padding; // the image line of the span's first phase
        long first = Math.min(span.size(), Math.max(0, -lineOfFirst));
        long end = Math.min(span.size(), Math.max(0, size - lineOfFirst));
        return new long[] {first, end};
    }
}
