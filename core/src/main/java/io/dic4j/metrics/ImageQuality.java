package io.dic4j.metrics;

import java.awt.image.BufferedImage;

/**
 * PSNR and SSIM as the reference evaluates SR faces: on the Y channel of uint8 RGB (MATLAB's {@code rgb2ycbcr}),
 * after cropping {@code border} pixels at each side; SSIM with an 11×11 Gaussian window (σ 1.5) over the
 * 'valid' region, C1 = (0.01·255)², C2 = (0.03·255)².
 */
public final class ImageQuality {

    private static final double[] Y_WEIGHTS = {65.481, 128.553, 24.966};
    private static final int WINDOW = 11;
    private static final double SIGMA = 1.5;
    private static final double C1 = Math.pow(0.01 * 255, 2);
    private static final double C2 = Math.pow(0.03 * 255, 2);
    private static final double[] KERNEL = gaussian();

    private ImageQuality() {}

    /** PSNR (dB) and SSIM of one SR/HR pair. */
    public record Scores(double psnr, double ssim) {}

    public static Scores compare(BufferedImage sr, BufferedImage hr, int border, MetricMode mode) {
        if (sr.getWidth() != hr.getWidth() || sr.getHeight() != hr.getHeight()) {
            throw new IllegalArgumentException("SR is " + sr.getWidth() + "x" + sr.getHeight() + ", HR is "
                    + hr.getWidth() + "x" + hr.getHeight());
        }
        if (2 * border + WINDOW > Math.min(sr.getWidth(), sr.getHeight())) {
            throw new IllegalArgumentException("images of " + sr.getWidth() + "x" + sr.getHeight()
                    + " are too small for a " + border + "-pixel border and an " + WINDOW + "-pixel SSIM window");
        }
        double[][] a = luma(sr, border, mode);
        double[][] b = luma(hr, border, mode);
        return new Scores(psnr(a, b), ssim(a, b));
    }

    /** Y = round(16 + (65.481 R + 128.553 G + 24.966 B) / 255), cropped; wrapped to 256 − Y in reference mode. */
    static double[][] luma(BufferedImage img, int border, MetricMode mode) {
        int h = img.getHeight() - 2 * border;
        int w = img.getWidth() - 2 * border;
        double[][] y = new double[h][w];
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                int p = img.getRGB(c + border, r + border);
                double v = (((p >> 16) & 0xff) * Y_WEIGHTS[0] + ((p >> 8) & 0xff) * Y_WEIGHTS[1]
                        + (p & 0xff) * Y_WEIGHTS[2]) / 255.0 + 16.0;
                int q = (int) Math.rint(v); // numpy rounds half to even
                y[r][c] = mode == MetricMode.REFERENCE ? (q * 255) & 0xff : q;
            }
        }
        return y;
    }

    static double psnr(double[][] a, double[][] b) {
        double sum = 0;
        int n = 0;
        for (int r = 0; r < a.length; r++) {
            for (int c = 0; c < a[0].length; c++) {
                double d = a[r][c] - b[r][c];
                sum += d * d;
                n++;
            }
        }
        double mse = sum / n;
        return mse == 0 ? Double.POSITIVE_INFINITY : 20 * Math.log10(255.0 / Math.sqrt(mse));
    }

    static double ssim(double[][] a, double[][] b) {
        int h = a.length - WINDOW + 1;
        int w = a[0].length - WINDOW + 1;
        double total = 0;
        for (int r = 0; r < h; r++) {
            for (int c = 0; c < w; c++) {
                double mu1 = 0;
                double mu2 = 0;
                double s11 = 0;
                double s22 = 0;
                double s12 = 0;
                for (int i = 0; i < WINDOW; i++) {
                    for (int j = 0; j < WINDOW; j++) {
                        double k = KERNEL[i] * KERNEL[j];
                        double x = a[r + i][c + j];
                        double y = b[r + i][c + j];
                        mu1 += k * x;
                        mu2 += k * y;
                        s11 += k * x * x;
                        s22 += k * y * y;
                        s12 += k * x * y;
                    }
                }
                double var1 = s11 - mu1 * mu1;
                double var2 = s22 - mu2 * mu2;
                double cov = s12 - mu1 * mu2;
                total += ((2 * mu1 * mu2 + C1) * (2 * cov + C2))
                        / ((mu1 * mu1 + mu2 * mu2 + C1) * (var1 + var2 + C2));
            }
        }
        return total / ((double) h * w);
    }

    /** OpenCV's getGaussianKernel(11, 1.5): normalised to sum 1. */
    private static double[] gaussian() {
        double[] k = new double[WINDOW];
        double sum = 0;
        for (int i = 0; i < WINDOW; i++) {
            double x = i - (WINDOW - 1) / 2.0;
            k[i] = Math.exp(-x * x / (2 * SIGMA * SIGMA));
            sum += k[i];
        }
        for (int i = 0; i < WINDOW; i++) {
            k[i] /= sum;
        }
        return k;
    }
}
