package io.dic4j.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Cutting a turned, scaled square out of an image, and its map between the two frames. */
class SimilarityWarpTest {

    static BufferedImage noise(int w, int h, long seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        return img;
    }

    static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    @Test
    void theIdentityIsAPlainCropBlackOutsideTheImage() {
        BufferedImage img = noise(64, 48, 1);
        assertArrayEquals(pixels(Images.crop(img, 20, 10, 16, 16)),
                pixels(new SimilarityWarp(28, 18, 16, 0, 16).cut(img)));
        BufferedImage corner = new SimilarityWarp(4, 44, 16, 0, 16).cut(img);
        assertArrayEquals(pixels(Images.crop(img, -4, 36, 16, 16)), pixels(corner));
        assertEquals(0, corner.getRGB(0, 0) & 0xffffff, "outside the image is black");
        assertEquals(0, corner.getRGB(15, 15) & 0xffffff);
    }

    @Test
    void ninetyDegreesIsAQuarterTurn() {
        BufferedImage img = noise(64, 48, 2);
        BufferedImage crop = Images.crop(img, 20, 10, 21, 21);
        BufferedImage turned = new SimilarityWarp(30.5, 20.5, 21, 90, 21).cut(img);
        for (int i = 0; i < 21; i++) {
            for (int j = 0; j < 21; j++) {
                // numpy rot90 (k = 1): out[i][j] = in[j][W - 1 - i]
                assertEquals(crop.getRGB(20 - i, j), turned.getRGB(j, i), "pixel " + j + ", " + i);
            }
        }
        double[] p = new SimilarityWarp(30.5, 20.5, 21, 90, 21).toPatch(22.5, 12.5);
        assertArrayEquals(new double[] {2.5, 18.5}, p, 1e-12,
                "source pixel (22, 12) is crop pixel (2, 2), turned to (2, 18)");
    }

    @Test
    void pointsMapBackAndForthAndLandOnWhatTheyMark() {
        SimilarityWarp warp = new SimilarityWarp(40.3, 25.8, 41.7, -23, 32);
        Random r = new Random(3);
        for (int i = 0; i < 20; i++) {
            double x = 100 * r.nextDouble();
            double y = 100 * r.nextDouble();
            double[] p = warp.toPatch(x, y);
            assertArrayEquals(new double[] {x, y}, warp.toSource(p[0], p[1]), 1e-9);
        }
        assertArrayEquals(new double[] {40.3, 25.8}, warp.toSource(16, 16), 1e-12, "the centres match");
        // a bright square of 3x3 pixels centred on (37.5, 22.5): the patch's brightness centroid is its mapped centre
        BufferedImage img = new BufferedImage(100, 80, BufferedImage.TYPE_INT_RGB);
        for (int y = 21; y <= 23; y++) {
            for (int x = 36; x <= 38; x++) {
                img.setRGB(x, y, 0xffffff);
            }
        }
        BufferedImage patch = warp.cut(img);
        double sum = 0;
        double sx = 0;
        double sy = 0;
        for (int v = 0; v < 32; v++) {
            for (int u = 0; u < 32; u++) {
                int g = patch.getRGB(u, v) & 0xff;
                sum += g;
                sx += g * (u + 0.5);
                sy += g * (v + 0.5);
            }
        }
        double[] expected = warp.toPatch(37.5, 22.5);
        assertArrayEquals(expected, new double[] {sx / sum, sy / sum}, 0.1);
    }

    @Test
    void aShrinkIsAntialiased() {
        BufferedImage board = new BufferedImage(512, 512, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 512; y++) {
            for (int x = 0; x < 512; x++) {
                board.setRGB(x, y, (x + y) % 2 == 0 ? 0xffffff : 0);
            }
        }
        // 8 source pixels per patch pixel, turned and off the pixel grid: a point sample would read black or white
        BufferedImage patch = new SimilarityWarp(256.3, 250.6, 256, 7, 32).cut(board);
        for (int v = 0; v < 32; v++) {
            for (int u = 0; u < 32; u++) {
                int g = patch.getRGB(u, v) & 0xff;
                assertTrue(Math.abs(g - 127.5) <= 2, "flat grey, got " + g + " at " + u + ", " + v);
            }
        }
    }
}
