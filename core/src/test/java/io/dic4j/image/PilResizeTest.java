package io.dic4j.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dic4j.testing.Fixtures;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** Pillow's bicubic resize, against pil_resize_and_metrics.npz (10 real faces, 4 sizes, and the 128→16 chain). */
class PilResizeTest {

    static final String NPZ = "pil_resize_and_metrics.npz";
    static final int[][] SIZES = {{128, 128}, {16, 16}, {37, 53}, {300, 211}};

    static BufferedImage image(String key) {
        return Fixtures.rgbImage(NPZ, key);
    }

    /** {max abs diff, equal samples, samples}. */
    static long[] compare(BufferedImage actual, BufferedImage expected) {
        assertEquals(expected.getWidth(), actual.getWidth());
        assertEquals(expected.getHeight(), actual.getHeight());
        long max = 0;
        long equal = 0;
        long n = 0;
        for (int y = 0; y < expected.getHeight(); y++) {
            for (int x = 0; x < expected.getWidth(); x++) {
                for (int shift = 0; shift <= 16; shift += 8) {
                    int a = (actual.getRGB(x, y) >> shift) & 0xff;
                    int e = (expected.getRGB(x, y) >> shift) & 0xff;
                    max = Math.max(max, Math.abs(a - e));
                    equal += a == e ? 1 : 0;
                    n++;
                }
            }
        }
        return new long[] {max, equal, n};
    }

    @Test
    void equalsPillowOnEverySizeOfEveryFace() {
        long equal = 0;
        long total = 0;
        for (int i = 0; Fixtures.npz(NPZ).tensors().containsKey("resize_src_" + i); i++) {
            BufferedImage src = image("resize_src_" + i);
            for (int[] s : SIZES) {
                long[] c = compare(PilResize.resize(src, s[0], s[1]), image("resize_" + i + "_" + s[0] + "x" + s[1]));
                assertTrue(c[0] <= 1, "face " + i + " " + s[0] + "x" + s[1] + ": max diff " + c[0]);
                equal += c[1];
                total += c[2];
            }
        }
        System.out.printf("PIL resize: %d of %d samples exactly equal (%.6f)%n", equal, total, (double) equal / total);
        assertTrue(total > 0);
    }

    @Test
    void resizeIfNeededKeepsAnImageOfTheSizeAndResizesAnyOther() {
        BufferedImage hr = image("chain_hr_0");
        assertSame(hr, PilResize.resizeIfNeeded(hr, hr.getWidth(), hr.getHeight()));
        long[] c = compare(PilResize.resizeIfNeeded(hr, 16, 16), image("chain_lr_0"));
        assertEquals(0, c[0], "resized as Pillow does (chain_lr_0)");
    }

    @Test
    void aBoxIsResizedOnItsOwnGrid() {
        BufferedImage src = SimilarityWarpTest.noise(100, 90, 4);
        assertEquals(0, compare(PilResize.resize(src, 0, 0, 100, 90, 37, 53), PilResize.resize(src, 37, 53))[0],
                "the whole image as the box");
        // an integer box resizes as its crop does, where the kernel (4 source pixels) stays inside the crop; at its
        // edges the crop's kernel is clipped, the box's reads the pixels around it
        BufferedImage box = PilResize.resize(src, 10, 20, 74, 84, 32, 32);
        BufferedImage crop = PilResize.resize(Images.crop(src, 10, 20, 64, 64), 32, 32);
        assertEquals(0, compare(box.getSubimage(2, 2, 28, 28), crop.getSubimage(2, 2, 28, 28))[0]);
        assertTrue(compare(box, crop)[0] > 0, "the edges differ");
    }

    @Test
    void referenceChainCropTo128To16() {
        for (int i = 0; Fixtures.npz(NPZ).tensors().containsKey("chain_hr_" + i); i++) {
            BufferedImage hr = image("chain_hr_" + i);
            long[] c = compare(PilResize.resize(hr, 16, 16), image("chain_lr_" + i));
            assertTrue(c[0] <= 1, "chain " + i + ": max diff " + c[0]);
        }
    }
}
