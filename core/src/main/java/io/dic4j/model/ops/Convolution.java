package io.dic4j.model.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * PyTorch's 2-D convolution, the one every conv of the model goes through, with a guard against a libtorch 2.7.1
 * defect: on some CPUs (seen on an AMD EPYC of family 26, with AVX-512) its oneDNN kernels give wrong values, NaN
 * among them, for convolutions whose output channels are not a multiple of the vector block of 16:
 * <ul>
 *   <li>the gradient with respect to the input of any conv larger than 1×1 (DIC's last conv, 3 channels out: every
 *       gradient of the recovery branch was wrong, and training diverged from the reference);</li>
 *   <li>the output of a 1×1 conv whose weight is stored channels-last.</li>
 * </ul>
 * The same convs with output channels padded by zero filters to a multiple of 16 are right, so that is what runs in
 * those two cases; the extra channels are sliced off. Elsewhere, inference included, the conv is PyTorch's as it is.
 * {@code ConvolutionTest} checks the cases against float64 convs, which do not go through those kernels.
 */
public final class Convolution {

    /** oneDNN's widest vector block of output channels (AVX-512, float32). */
    static final int BLOCK = 16;

    private Convolution() {}

    /**
     * @param x (N, Cin, H, W)
     * @param weight (Cout, Cin / groups, kh, kw), stored plainly (row-major)
     * @param bias (Cout) or null
     * @param recorded whether autograd records the conv for a backward pass
     */
    public static NDArray apply(NDArray x, NDArray weight, NDArray bias, Shape stride, Shape padding, int groups,
            boolean recorded) {
        return apply(x, weight, bias, stride, padding, groups, false, recorded);
    }

    /** A conv with stride and dilation 1, groups 1, of a weight stored plainly. */
    public static NDArray apply(NDArray x, NDArray weight, NDArray bias, Shape padding, boolean recorded) {
        return apply(x, weight, bias, new Shape(1, 1), padding, 1, false, recorded);
    }

    /** A conv with stride and dilation 1, groups 1, of a weight stored channels-last ((O, kh, kw, I) in memory). */
    public static NDArray applyChannelsLast(NDArray x, NDArray weight, NDArray bias, Shape padding, boolean recorded) {
        return apply(x, weight, bias, new Shape(1, 1), padding, 1, true, recorded);
    }

    private static NDArray apply(NDArray x, NDArray weight, NDArray bias, Shape stride, Shape padding, int groups,
            boolean channelsLast, boolean recorded) {
        Shape ws = weight.getShape();
        long out = ws.get(0);
        long padded = (out + BLOCK - 1) / BLOCK * BLOCK;
        if (padded == out || groups != 1 || !meetsTheDefect(ws, channelsLast, recorded)) {
            return Conv2d.conv2d(x, weight, bias, stride, padding, new Shape(1, 1), groups).singletonOrThrow();
        }
        NDManager m = x.getManager();
        NDArray w = weight.concat(m.zeros(new Shape(padded - out, ws.get(1), ws.get(2), ws.get(3)),
                weight.getDataType()), 0);
        NDArray b = bias == null ? null : bias.concat(m.zeros(new Shape(padded - out), bias.getDataType()), 0);
        NDArray y = Conv2d.conv2d(x, w, b, stride, padding, new Shape(1, 1), 1).singletonOrThrow();
        return y.get(new NDIndex(":, 0:{}", out));
    }

    /** Whether such a conv meets the defect: 1×1 with a channels-last weight, or larger and recorded for a gradient. */
    private static boolean meetsTheDefect(Shape weight, boolean channelsLast, boolean recorded) {
        boolean pointwise = weight.get(2) == 1 && weight.get(3) == 1;
        return pointwise ? channelsLast : recorded;
    }
}
