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
        return resize(rgb, 0, 0, rgb.getWidth(), rgb.getHeight(), width, height);
    }

    /**
     * Pillow's {@code resize((width, height), BICUBIC, box=(x0, y0, x1, y1))}: the region {@code [x0, x1) × [y0, y1)}
     * of the image, in continuous pixel coordinates (pixel i spans [i, i + 1)), resized to {@code width × height}.
     * The box may start and end between pixels: that is how a resize lands on a sub-pixel grid. As in Pillow, the
     * box is held in float32, the filter window is clipped to the image and its weights renormalised; the box must
     * lie inside the image.
     */
    public static BufferedImage resize(BufferedImage rgb, double x0, double y0, double x1, double y1, int width,
            int height) {
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("target size must be positive, got " + width + "x" + height);
        }
        if (!(x0 >= 0 && y0 >= 0 && x1 > x0 && y1 > y0 && x1 <= w && y1 <= h)) {
            throw new IllegalArgumentException("box [" + x0 + ", " + y0 + ", " + x1 + ", " + y1
                    + "] must be non-empty and inside the " + w + "x" + h + " image");
        }
        int[] pixels = rgb.getRGB(0, 0, w, h, null, 0, w);
        // as Pillow, a pass that would copy its input is skipped
        if (width != w || x0 != 0 || x1 != w) {
            pixels = pass(pixels, w, h, x0, x1, width, true);
            w = width;
        }
        if (height != h || y0 != 0 || y1 != h) {
            pixels = pass(pixels, w, h, y0, y1, height, false);
            h = height;
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, pixels, 0, w);
        return out;
    }

    /** One separable pass over packed RGB pixels, along x ({@code horizontal}) or y, of the span [in0, in1). */
    private static int[] pass(int[] in, int w, int h, double in0, double in1, int outSize, boolean horizontal) {
        int inSize = horizontal ? w : h;
        Coefficients c = coefficients(inSize, in0, in1, outSize);
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

    private static Coefficients coefficients(int inSize, double box0, double box1, int outSize) {
        // Pillow's C code takes the box as floats, and subtracts them as floats
        float in0 = (float) box0;
        float in1 = (float) box1;
        double scale = (double) (in1 - in0) / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = SUPPORT * filterScale;
        int size = (int) Math.ceil(support) * 2 + 1;
        int[] first = new int[outSize];
        int[] count = new int[outSize];
        int[] weights = new int[outSize * size];
        double[] k = new double[size];
        for (int o = 0; o < outSize; o++) {
            double center = in0 + (o + 0.5) * scale;
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
