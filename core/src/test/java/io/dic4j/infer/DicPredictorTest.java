package io.dic4j.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dic4j.image.PilResize;
import io.dic4j.testing.Fixtures;
import io.dic4j.testing.SampleDifferences;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DicPredictorTest {

    static BufferedImage gradient(int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                img.setRGB(x, y, ((x * 15) << 16) | ((y * 15) << 8) | 128);
            }
        }
        return img;
    }

    @Test
    void srStaysNearTheUpsampledInputSoTheMeanIsHandledBothWays() throws IOException {
        // the reference's small net adds a residual of at most 0.077 (≈ 20 grey levels) to the bilinear input;
        // mishandling the mean on either side would shift every pixel by ≈ 100 levels
        try (DicPredictor dic = DicPredictor.load(Fixtures.path("dic_small_ckp.pth"))) {
            BufferedImage lr = gradient(16);
            DicPredictor.Result r = dic.predict(List.of(lr, lr)).get(1);
            assertEquals(4, r.steps().size());
            BufferedImage up = PilResize.resize(lr, 128, 128);
            double sum = 0;
            for (int y = 0; y < 128; y++) {
                for (int x = 0; x < 128; x++) {
                    for (int shift = 0; shift <= 16; shift += 8) {
                        sum += Math.abs(((r.sr().getRGB(x, y) >> shift) & 0xff) - ((up.getRGB(x, y) >> shift) & 0xff));
                    }
                }
            }
            double mean = sum / (128 * 128 * 3);
            assertTrue(mean < 20, "mean |SR − bicubic| = " + mean);
            assertEquals(68, r.landmarks().length);
        }
    }

    /** The warm-up keeps what a forward derives from the weights: what it keeps must be what any batch would use. */
    @Test
    void aWarmedUpPredictorGivesTheSameResults() throws IOException {
        for (Precision p : Precision.values()) {
            try (DicPredictor cold = DicPredictor.load(Fixtures.path("dic_small_ckp.pth"), null, p);
                    DicPredictor warm = DicPredictor.load(Fixtures.path("dic_small_ckp.pth"), null, p)) {
                warm.warmUp();
                List<BufferedImage> faces = List.of(gradient(16), PilResize.resize(gradient(32), 16, 16));
                List<DicPredictor.Result> expected = cold.predict(faces);
                List<DicPredictor.Result> actual = warm.predict(faces);
                for (int i = 0; i < faces.size(); i++) {
                    SampleDifferences d = SampleDifferences.of(actual.get(i).sr(), expected.get(i).sr());
                    assertEquals(0, d.max(), p + ", face " + i);
                    assertArrayEquals(expected.get(i).landmarks(), actual.get(i).landmarks(), p + ", face " + i);
                }
            }
        }
    }

    @Test
    void rejectsInputsThatAreNot16x16() throws IOException {
        try (DicPredictor dic = DicPredictor.load(Fixtures.path("dic_small_ckp.pth"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> dic.predict(List.of(gradient(17))));
            assertTrue(e.getMessage().contains("17x17"), e.getMessage());
        }
    }
}
