package io.dic4j.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dic4j.testing.Fixtures;
import io.dic4j.testing.SampleDifferences;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

/** Pillow's bicubic resize, against pil_resize_and_metrics.npz (10 real faces, 4 sizes, and the 128→16 chain). */
class PilResizeTest {

    static final String NPZ = "pil_resize_and_metrics.npz";
    static final int[][] SIZES = {{128, 128}, {16, 16}, {37, 53}, {300, 211}};

    static BufferedImage image(String key) {
        return Fixtures.rgbImage(NPZ, key);
    }

    @Test
    void equalsPillowOnEverySizeOfEveryFace() {
        long equal = 0;
        long total = 0;
        for (int i = 0; Fixtures.npz(NPZ).tensors().containsKey("resize_src_" + i); i++) {
            BufferedImage src = image("resize_src_" + i);
            for (int[] s : SIZES) {
                SampleDifferences d = SampleDifferences.of(PilResize.resize(src, s[0], s[1]),
                        image("resize_" + i + "_" + s[0] + "x" + s[1]));
                assertTrue(d.max() <= 1, "face " + i + " " + s[0] + "x" + s[1] + ": max diff " + d.max());
                equal += d.equal();
                total += d.samples();
            }
        }
        System.out.printf("PIL resize: %d of %d samples exactly equal (%.6f)%n", equal, total, (double) equal / total);
        assertTrue(total > 0);
    }

    @Test
    void resizeIfNeededKeepsAnImageOfTheSizeAndResizesAnyOther() {
        BufferedImage hr = image("chain_hr_0");
        assertSame(hr, PilResize.resizeIfNeeded(hr, hr.getWidth(), hr.getHeight()));
        assertEquals(0, SampleDifferences.of(PilResize.resizeIfNeeded(hr, 16, 16), image("chain_lr_0")).max(),
                "resized as Pillow does (chain_lr_0)");
    }

    @Test
    void aBoxIsResizedOnItsOwnGrid() {
        BufferedImage src = SimilarityWarpTest.noise(100, 90, 4);
        assertEquals(0, SampleDifferences.of(PilResize.resize(src, 0, 0, 100, 90, 37, 53),
                PilResize.resize(src, 37, 53)).max(),
                "the whole image as the box");
        // an integer box resizes as its crop does, where the kernel (4 source pixels) stays inside the crop; at its
        // edges the crop's kernel is clipped, the box's reads the pixels around it
        BufferedImage box = PilResize.resize(src, 10, 20, 74, 84, 32, 32);
        BufferedImage crop = PilResize.resize(Images.crop(src, 10, 20, 64, 64), 32, 32);
        assertEquals(0, SampleDifferences.of(box.getSubimage(2, 2, 28, 28), crop.getSubimage(2, 2, 28, 28)).max());
        assertTrue(SampleDifferences.of(box, crop).max() > 0, "the edges differ");
    }

    @Test
    void referenceChainCropTo128To16() {
        for (int i = 0; Fixtures.npz(NPZ).tensors().containsKey("chain_hr_" + i); i++) {
            BufferedImage hr = image("chain_hr_" + i);
            int max = SampleDifferences.of(PilResize.resize(hr, 16, 16), image("chain_lr_" + i)).max();
            assertTrue(max <= 1, "chain " + i + ": max diff " + max);
        }
    }
}
