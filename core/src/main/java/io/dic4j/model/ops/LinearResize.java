package io.dic4j.model.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Bilinear resizing as PyTorch's {@code F.interpolate(mode='bilinear')} computes it, expressed as two
 * interpolation matrices: {@code out = Ry · X · Rxᵀ}. The engine's own interpolation ignores
 * {@code align_corners=true} (the hourglass needs it); matrices are exact for both modes and differentiable.
 */
public final class LinearResize {

    private LinearResize() {}

    /** Resizes (N, C, H, W) by an integer {@code factor} in both axes. */
    public static NDArray upsample(NDArray x, int factor, boolean alignCorners) {
        Shape s = x.getShape();
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        NDManager m = x.getManager();
        NDArray ry = Constants.of(m, matrix(h, h * factor, alignCorners), new Shape(h * factor, h));
        NDArray rxT = Constants.of(m, matrix(w, w * factor, alignCorners), new Shape(w * factor, w)).transpose();
        if (BFloat16.is(x)) {
            // the hourglass's upsampling of bfloat16 features: matmul takes operands of one type
            ry = BFloat16.of(ry);
            rxT = BFloat16.of(rxT);
        }
        return ry.matMul(x.matMul(rxT));
    }

    /** Row-major (out × in) matrix whose row i holds the two bilinear weights of output sample i. */
    static float[] matrix(int in, int out, boolean alignCorners) {
        float[] r = new float[out * in];
        for (int i = 0; i < out; i++) {
            float src;
            if (alignCorners) {
                src = out > 1 ? i * (float) (in - 1) / (out - 1) : 0f;
            } else {
                // PyTorch's area_pixel_compute_source_index for linear modes: negative sources clamp to 0
                src = Math.max((i + 0.5f) * ((float) in / out) - 0.5f, 0f);
            }
            int i0 = Math.min((int) src, in - 1);
            int i1 = Math.min(i0 + 1, in - 1);
            float lambda = src - i0;
            r[i * in + i0] += 1f - lambda;
            r[i * in + i1] += lambda;
        }
        return r;
    }
}
