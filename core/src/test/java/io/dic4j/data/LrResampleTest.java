package io.dic4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dic4j.image.SimilarityWarp;
import io.dic4j.metrics.ImageQuality;
import io.dic4j.metrics.MetricMode;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Samples cut as photos give them: the draw, the HR/LR/landmarks it makes, and what stays as it was. */
class LrResampleTest {

    static final SyntheticFaces.Face FACE = SyntheticFaces.draw(7, 300);
    /** The face's box made exactly square, so that the exact chain scales it as the warp does. */
    static final FaceRecord RECORD = record(FaceBox.around(FACE.landmarks()));

    static FaceRecord record(FaceBox b) {
        return new FaceRecord("face.png", Path.of("face.png"), FACE.landmarks(),
                new FaceBox(b.xmin(), b.ymin(), b.xmin() + b.width(), b.ymin() + b.width()));
    }

    static SampleMaker maker(boolean flip, LrResample resample) {
        return new SampleMaker(new SampleOptions(128, 16, 1.0, flip, false, 1.0, 1.0, resample));
    }

    static FaceSample make(SampleMaker maker, long seed) throws AnnotationException {
        return maker.make(RECORD, FACE.image(), new Random(seed));
    }

    @Test
    void drawsStayInTheirRangesAroundTheBoxWithTheGivenProbabilityWhateverTheSeeds() {
        LrResample r = new LrResample(0.5, 5, 0.1, 0.5);
        FaceBox box = new FaceBox(100, 60, 260, 220);
        int drawn = 0;
        int rightOfCentre = 0;
        for (int i = 0; i < 2000; i++) {
            // consecutive seeds, as FaceLoader gives its samples: their Randoms' first draws are nearly equal
            SimilarityWarp w = r.draw(box, 128, 16, new Random(1000 + i));
            if (w == null) {
                continue;
            }
            drawn++;
            rightOfCentre += w.centreX() > 180 ? 1 : 0;
            double lrPixel = 160 / 16.0;
            assertTrue(Math.abs(w.centreX() - 180) <= 0.5 * lrPixel && Math.abs(w.centreY() - 140) <= 0.5 * lrPixel);
            assertTrue(Math.abs(w.rotation()) <= 5);
            assertTrue(Math.abs(w.side() / 160 - 1) <= 0.1);
            assertEquals(128, w.size());
        }
        assertTrue(Math.abs(drawn - 1000) < 100, drawn + " of 2000 drawn at probability 0.5");
        assertTrue(Math.abs(rightOfCentre - drawn / 2) < 80, rightOfCentre + " of " + drawn + " shifted right");
        assertNull(new LrResample(0, 5, 0.1, 0.5).draw(box, 128, 16, new Random(2)));
        assertThrows(IllegalArgumentException.class, () -> new LrResample(1.5, 5, 0.1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> new LrResample(1, -1, 0.1, 0.5));
    }

    @Test
    void aResampledSampleIsTheWarpOfTheSourceAtBothSizesWithItsLandmarks() throws AnnotationException {
        FaceSample s = make(maker(false, LrResample.EVALUATION), 11);
        SimilarityWarp warp = LrResample.EVALUATION.draw(RECORD.box(), 128, 16, new Random(11));
        assertNotNull(warp);
        assertArrayEquals(pixels(warp.cut(FACE.image())), pixels(s.hr()));
        assertArrayEquals(pixels(warp.withSize(16).cut(FACE.image())), pixels(s.lr()), "cut from the source, at 16");
        assertEquals(16, s.lr().getWidth());
        for (int p = 0; p < 68; p++) {
            assertArrayEquals(warp.toPatch(FACE.landmarks()[p][0], FACE.landmarks()[p][1]), s.landmarks()[p], 0.0);
        }
        assertArrayEquals(Heatmaps.gaussian(s.landmarks(), 32, 4, 1.0), s.heatmaps(), "heatmaps follow the points");
        assertArrayEquals(pixels(s.hr()), pixels(make(maker(false, LrResample.EVALUATION), 11).hr()),
                "the same Random, the same sample");
    }

    @Test
    void withoutDisplacementItIsTheExactCropsFaceInterpolatedAtTheImagesPhase() throws AnnotationException {
        FaceSample exact = make(maker(false, null), 0);
        FaceSample still = make(maker(false, new LrResample(1, 0, 0, 0)), 0);
        for (int p = 0; p < 68; p++) {
            assertArrayEquals(exact.landmarks()[p], still.landmarks()[p], 1e-9);
        }
        // the same face: what differs is the interpolation at the phase of the box on the resized image's grid
        double hr = ImageQuality.compare(still.hr(), exact.hr(), 8, MetricMode.STANDARD).psnr();
        double lr = ImageQuality.compare(still.lr(), exact.lr(), 1, MetricMode.STANDARD).psnr();
        System.out.printf("lr_resample without displacement against the exact crop: HR %.2f dB, LR %.2f dB%n", hr, lr);
        assertTrue(hr > 30 && lr > 25, "HR " + hr + " dB, LR " + lr + " dB");
    }

    @Test
    void theFlipStillAppliesAfterTheWarp() throws AnnotationException {
        // a seed whose flip coin, drawn after the resampling's long, says flip
        long seed = IntStream.range(0, 64).filter(s -> {
            Random r = new Random(s);
            r.nextLong();
            return r.nextBoolean();
        }).findFirst().orElseThrow();
        FaceSample plain = make(maker(false, LrResample.EVALUATION), seed);
        FaceSample flipped = make(maker(true, LrResample.EVALUATION), seed);
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                assertEquals(plain.hr().getRGB(127 - x, y), flipped.hr().getRGB(x, y));
            }
        }
        assertEquals(127 - plain.landmarks()[36][0], flipped.landmarks()[45][0], 1e-12);
    }

    static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }
}
