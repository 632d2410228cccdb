package io.dic4j.image;

import java.awt.image.BufferedImage;

/**
 * The reference's pixel ↔ tensor convention, in one place: {@code rgb/255 − mean} (std 1), channels first;
 * back with {@code (v + mean)·255}, clamped and rounded half to even (torch.round).
 */
public final class FaceTensors {

    /** Per-channel RGB mean (on 0..1) that the reference subtracts from its inputs. */
    public static final float[] MEAN = {0.509f, 0.424f, 0.378f};

    private FaceTensors() {}

    /** Writes the normalised (3, h, w) tensor of an RGB image into {@code out} at {@code offset}; equal to the reference's bit for bit. */
    public static void toTensor(BufferedImage img, float[] out, int offset) {
        int h = img.getHeight();
        int w = img.getWidth();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = img.getRGB(x, y);
                for (int c = 0; c < 3; c++) {
                    int v = (p >> (16 - 8 * c)) & 0xff;
                    out[offset + (c * h + y) * w + x] = v / 255f - MEAN[c];
                }
            }
        }
    }

    /** The normalised (3, h, w) tensor of an RGB image. */
    public static float[] toTensor(BufferedImage img) {
        float[] out = new float[3 * img.getHeight() * img.getWidth()];
        toTensor(img, out, 0);
        return out;
    }

    /** The 8-bit RGB image of the normalised (3, h, w) tensor at {@code offset} in {@code v}. */
    public static BufferedImage toImage(float[] v, int offset, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    float f = (v[offset + (c * h + y) * w + x] + MEAN[c]) * 255f;
                    int q = (int) Math.rint(Math.min(Math.max(f, 0f), 255f));
                    rgb |= q << (16 - 8 * c);
                }
                img.setRGB(x, y, rgb);
            }
        }
        return img;
    }
}
