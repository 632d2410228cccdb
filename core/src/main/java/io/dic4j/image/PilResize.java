package io.dic4j.image;

import java.awt.image.BufferedImage;

/**
 * Pillow's {@code Image.resize(size, Image.BICUBIC)} for 8-bit RGB, bit for bit: the cubic kernel with
 * a = −0.5, its support widened by the scale factor when downscaling (antialiasing), coefficients normalised
 * and converted to 22-bit fixed point, a horizontal pass rounded to uint8, then a vertical pass. Java2D's
 * bicubic differs (no antialiasing, a = −0.75), and the reference's LR images are made this way.
 */
public final class PilResize {

    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double SUPPORT = 2.0;
    private static final double A = -0.5;

    private PilResize() {}

    /** {@code rgb} itself when it is {@code width × height} already, else {@link #resize}d to it. */
    public static BufferedImage resizeIfNeeded(BufferedImage rgb, int width, int height) {
        return rgb.getWidth() == width && rgb.getHeight() == height ? rgb : resize(rgb, width, height);
    }

    /** Resizes an RGB image (see {@link Images#toRgb}) to {@code width × height}. */
    public static BufferedImage resize(BufferedImage rgb, int width, int height) {
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + width + "x" + height);
        }
        int[] pixels = rgb.getRGB(0, 0, w, h, null, 0, w);
        if (width != w) {
            pixels = pass(pixels, w, h, width, true);
            w = width;
        }
        if (height != h) {
            pixels = pass(pixels, w, h, height, false);
            h = height;
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, pixels, 0, w);
        return out;
    }

    /** One separable pass over packed RGB pixels, along x ({@code horizontal}) or y. */
    private static int[] pass(int[] in, int w, int h, int outSize, boolean horizontal) {
        int inSize = horizontal ? w : h;
        Coefficients c = coefficients(inSize, outSize);
        int outW = horizontal ? outSize : w;
        int outH = horizontal ? h : outSize;
        int[] out = new int[outW * outH];
        for (int y = 0; y < outH; y++) {
            for (int x = 0; x < outW; x++) {
                int o = horizontal ? x : y;
                int first = c.first[o];
                int r = 1 << (PRECISION_BITS - 1);
                int g = r;
                int b = r;
                for (int k = 0; k < c.count[o]; k++) {
                    int p = horizontal ? in[y * w + first + k] : in[(first + k) * w + x];
                    int weight = c.weights[o * c.size + k];
                    r += ((p >> 16) & 0xff) * weight;
                    g += ((p >> 8) & 0xff) * weight;
                    b += (p & 0xff) * weight;
                }
                out[y * outW + x] = (clip8(r) << 16) | (clip8(g) << 8) | clip8(b);
            }
        }
        return out;
    }

    private static int clip8(int v) {
        if (v >= (1 << PRECISION_BITS << 8)) {
            return 255;
        }
        return v <= 0 ? 0 : v >> PRECISION_BITS;
    }

    private record Coefficients(int size, int[] first, int[] count, int[] weights) {}

    private static Coefficients coefficients(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = SUPPORT * filterScale;
        int size = (int) Math.ceil(support) * 2 + 1;
        int[] first = new int[outSize];
        int[] count = new int[outSize];
        int[] weights = new int[outSize * size];
        double[] k = new double[size];
        for (int o = 0; o < outSize; o++) {
            double center = (o + 0.5) * scale;
            int min = Math.max((int) (center - support + 0.5), 0);
            int max = Math.min((int) (center + support + 0.5), inSize) - min;
            double sum = 0;
            for (int i = 0; i < max; i++) {
                k[i] = cubic((i + min - center + 0.5) / filterScale);
                sum += k[i];
            }
            for (int i = 0; i < max; i++) {
                double v = sum != 0 ? k[i] / sum : k[i];
                // Pillow rounds half away from zero when it converts to fixed point
                weights[o * size + i] = (int) (v < 0 ? -0.5 + v * (1 << PRECISION_BITS) : 0.5 + v * (1 << PRECISION_BITS));
            }
            first[o] = min;
            count[o] = max;
        }
        return new Coefficients(size, first, count, weights);
    }

    private static double cubic(double x) {
        x = Math.abs(x);
        if (x < 1.0) {
            return ((A + 2.0) * x - (A + 3.0)) * x * x + 1;
        }
        if (x < 2.0) {
            return (((x - 5) * x + 8) * x - 4) * A;
        }
        return 0.0;
    }
}
