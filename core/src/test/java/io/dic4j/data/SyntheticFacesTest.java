package io.dic4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticFacesTest {

    @TempDir
    Path dir;

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    private static double luminance(BufferedImage img, double[] at) {
        int p = img.getRGB((int) Math.round(at[0]), (int) Math.round(at[1]));
        return 0.299 * (p >> 16 & 0xff) + 0.587 * (p >> 8 & 0xff) + 0.114 * (p & 0xff);
    }

    @Test
    void aSeedAlwaysDrawsTheSameFaceWithItsLandmarksOnTheFeatures() {
        SyntheticFaces.Face a = SyntheticFaces.draw(5, 160);
        assertArrayEquals(pixels(a.image()), pixels(SyntheticFaces.draw(5, 160).image()));
        assertNotEquals(java.util.Arrays.hashCode(pixels(a.image())),
                java.util.Arrays.hashCode(pixels(SyntheticFaces.draw(6, 160).image())));
        for (long seed = 0; seed < 20; seed++) {
            SyntheticFaces.Face f = SyntheticFaces.draw(seed, 160);
            for (double[] p : f.landmarks()) {
                assertTrue(p[0] > 0 && p[0] < 159 && p[1] > 0 && p[1] < 159, "seed " + seed);
            }
            double[][] p = f.landmarks();
            // pupils (black) sit midway between each eye's corners; the image's left side is the face's right
            for (int[] eye : new int[][] {{36, 39}, {42, 45}}) {
                double[] c = {(p[eye[0]][0] + p[eye[1]][0]) / 2, (p[eye[0]][1] + p[eye[1]][1]) / 2};
                assertTrue(luminance(f.image(), c) < 80, "seed " + seed + " pupil " + luminance(f.image(), c));
            }
            assertTrue(p[36][0] < p[39][0] && p[39][0] < p[42][0] && p[42][0] < p[45][0], "eye order");
            assertTrue(p[8][1] > p[57][1] && p[57][1] > p[33][1] && p[33][1] > p[27][1], "chin, mouth, nose, bridge");
        }
    }

    @Test
    void writtenFacesReadBackAsA68PointDataset() throws IOException {
        FaceDataset ds = SyntheticFaces.write(dir, 3, 1, 128);
        assertEquals(3, ds.size());
        assertEquals(68, ds.landmarkCount());
        SyntheticFaces.Face f = SyntheticFaces.draw(1 * 1_000_003L + 2, 128);
        for (int i = 0; i < 68; i++) {
            assertArrayEquals(f.landmarks()[i], ds.get(2).landmarks()[i], 5e-4);
        }
        assertEquals(FaceBox.around(ds.get(2).landmarks()), ds.get(2).box());
    }
}
