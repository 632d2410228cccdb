package io.dic4j.model.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import io.dic4j.model.layers.ForwardMode;

/**
 * PyTorch's 2-D convolution, the one every conv of the model goes through, with guards against two libtorch 2.7.1
 * behaviours.
 *
 * <p><b>A defect.</b> On some CPUs (seen on an AMD EPYC of family 26, with AVX-512) its oneDNN kernels give wrong
 * values, NaN among them:
 * <ul>
 *   <li>the gradient with respect to the input of any conv larger than 1×1 whose output channels are not a multiple
 *       of the vector block of 16 (DIC's last conv, 3 channels out: every gradient of the recovery branch was wrong,
 *       and training diverged from the reference);</li>
 *   <li>the output of a 1×1 conv whose weight is stored channels-last, in its last block of output channels when
 *       they are not a multiple of the 48 that oneDNN's 1×1 kernel takes at a time (the built-in model's ×8
 *       projection, 32 → 512 channels, was off by up to 0.24 at two threads);</li>
 *   <li>in bfloat16, the output of DIC's last conv (3×3, 32 → 3 channels), 28% of its largest output off; in
 *       bfloat16 every conv larger than 1×1 is padded as the float32 gradients are.</li>
 * </ul>
 * The same convs with output channels padded by zero filters to a multiple of the block are right, so that is what
 * runs in those cases; the extra channels are sliced off. {@code ConvolutionTest} checks them against float64 convs,
 * which do not go through those kernels.
 *
 * <p><b>Results that depend on the batch and the thread count.</b> PyTorch runs a conv on oneDNN or on its own kernel
 * by a rule of thumb: its own for a 1×1 conv of stride 1 on one thread with fewer than 16 faces, and for a small conv
 * (3×3 at most, one group, at most 20,480 input values) of one face. The two round differently, so a face's
 * result would depend on the thread count and on whether it came alone. In an inference pass every conv goes to
 * oneDNN, whose results for a face do not depend on either: a 1×1 conv is run dilated (the same sums), and a small
 * conv of one face runs on the face twice, keeping one result. Training passes keep PyTorch's choice: a
 * checkpointing pass must round as the recorded pass that recomputes it.
 */
public final class Convolution {

    /** oneDNN's widest vector block of output channels (AVX-512, float32). */
    static final int BLOCK = 16;
    /** The output channels oneDNN's 1×1 kernel computes at a time (three vector blocks). */
    static final int POINTWISE_BLOCK = 48;
    /** The most input values of one face that PyTorch sends to its own kernel rather than oneDNN. */
    private static final long SMALL_INPUT = 20_480;

    private Convolution() {}

    /**
     * @param x (N, Cin, H, W)
     * @param weight (Cout, Cin / groups, kh, kw), stored plainly (row-major)
     * @param bias (Cout) or null
     * @param mode the pass the conv is part of
     */
    public static NDArray apply(NDArray x, NDArray weight, NDArray bias, Shape stride, Shape padding, int groups,
            ForwardMode mode) {
        return apply(x, weight, bias, stride, padding, groups, false, mode);
    }

    /** A conv with stride and dilation 1, groups 1, of a weight stored plainly. */
    public static NDArray apply(NDArray x, NDArray weight, NDArray bias, Shape padding, ForwardMode mode) {
        return apply(x, weight, bias, new Shape(1, 1), padding, 1, false, mode);
    }

    /** A conv with stride and dilation 1, groups 1, of a weight stored channels-last ((O, kh, kw, I) in memory). */
    public static NDArray applyChannelsLast(NDArray x, NDArray weight, NDArray bias, Shape padding,
            ForwardMode mode) {
        return apply(x, weight, bias, new Shape(1, 1), padding, 1, true, mode);
    }

    private static NDArray apply(NDArray x, NDArray weight, NDArray bias, Shape stride, Shape padding, int groups,
            boolean channelsLast, ForwardMode mode) {
        Shape ws = weight.getShape();
        boolean recorded = mode.recordsGraph();
        boolean inference = mode.isInference();
        if (mode.bfloat16()) {
            // the kernels come kept in bfloat16; an input that an op with a float32 operand promoted is cast back
            x = BFloat16.of(x);
        }
        boolean pointwise = ws.get(2) == 1 && ws.get(3) == 1;
        boolean unitStride = stride.get(0) == 1 && stride.get(1) == 1;
        // a 1×1 kernel has one tap, so a dilation changes none of its sums: it only steers PyTorch to oneDNN
        Shape dilation = inference && pointwise && unitStride ? new Shape(2, 2) : new Shape(1, 1);
        boolean twice = inference && groups == 1 && x.getShape().get(0) == 1 && ws.get(2) <= 3 && ws.get(3) <= 3
                && x.getShape().size() <= SMALL_INPUT;
        NDArray in = twice ? x.concat(x, 0) : x;
        long out = ws.get(0);
        int block = groups != 1 ? 1 : pointwise ? (channelsLast ? POINTWISE_BLOCK : 1)
                : (recorded || mode.bfloat16() ? BLOCK : 1);
        long padded = (out + block - 1) / block * block;
        NDArray y;
        if (padded == out) {
            y = Conv2d.conv2d(in, weight, bias, stride, padding, dilation, groups).singletonOrThrow();
        } else {
            NDArray w = weight.concat(zerosLike(weight, new Shape(padded - out, ws.get(1), ws.get(2), ws.get(3))), 0);
            NDArray b = bias == null ? null : bias.concat(zerosLike(bias, new Shape(padded - out)), 0);
            y = Conv2d.conv2d(in, w, b, stride, padding, dilation, 1).singletonOrThrow()
                    .get(new NDIndex(":, 0:{}", out));
        }
        return twice ? y.get(new NDIndex("0:1")) : y;
    }

    private static NDArray zerosLike(NDArray like, Shape shape) {
        NDManager m = like.getManager();
        return BFloat16.is(like) ? BFloat16.zeros(m, shape) : m.zeros(shape, like.getDataType());
    }
}
