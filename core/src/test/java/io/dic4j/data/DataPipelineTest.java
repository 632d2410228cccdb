package io.dic4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dic4j.image.FaceTensors;
import io.dic4j.image.Images;
import io.dic4j.landmarks.LandmarkScheme;
import io.dic4j.testing.Fixtures;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sample pipeline against the reference dataset's own outputs (dataset_pipeline.npz). */
class DataPipelineTest {

    static final String NPZ = "dataset_pipeline.npz";
    static final List<String> PICKLES = List.of("info_list_numpy_p2.pkl", "info_list_numpy_p3.pkl",
            "info_list_numpy_p4.pkl", "info_list_lists_p3.pkl");
    static final int FACES = 6;

    @TempDir
    Path dir;

    static float[] values(String key) {
        return Fixtures.npz(NPZ).tensors().get(key).values();
    }

    @Test
    void allFourPickleVariantsReadToTheSameValues() throws IOException {
        List<FaceRecord> expected = InfoListReader.read(Fixtures.path(PICKLES.get(1)), dir);
        assertEquals(FACES, expected.size());
        for (String pkl : PICKLES) {
            List<FaceRecord> records = InfoListReader.read(Fixtures.path(pkl), dir);
            assertEquals(FACES, records.size(), pkl);
            for (int i = 0; i < FACES; i++) {
                FaceRecord r = records.get(i);
                assertEquals(String.format("%06d.jpg", i + 1), r.name(), pkl);
                assertEquals(expected.get(i).box(), r.box(), pkl);
                assertEquals(dir.resolve(r.name()), r.image());
                for (int p = 0; p < 68; p++) {
                    assertArrayEquals(expected.get(i).landmarks()[p], r.landmarks()[p], 0.0, pkl + " point " + p);
                }
            }
        }
        for (int i = 0; i < FACES; i++) {
            FaceRecord r = expected.get(i);
            float[] box = values("bbox_" + i);
            assertEquals(new FaceBox((int) box[0], (int) box[1], (int) box[2], (int) box[3]), r.box());
            float[] lm = values("landmark_" + i);
            for (int p = 0; p < 68; p++) {
                // the npz reader holds float32: equal up to its rounding
                assertEquals(lm[2 * p], r.landmarks()[p][0], 1e-5);
                assertEquals(lm[2 * p + 1], r.landmarks()[p][1], 1e-5);
            }
        }
    }

    /** The six source images as PNG files beside which the info list is opened. */
    private FaceDataset referenceDataset() throws IOException {
        for (int i = 0; i < FACES; i++) {
            Images.writePng(Fixtures.rgbImage(NPZ, "src_" + i), dir.resolve(String.format("%06d.jpg", i + 1)));
        }
        return FaceDataset.open(Fixtures.path("info_list_numpy_p3.pkl"), dir);
    }

    @Test
    void samplesEqualTheReferenceDataset() throws IOException {
        FaceDataset dataset = referenceDataset();
        SampleMaker maker = new SampleMaker(SampleOptions.EVALUATION);
        long equal = 0;
        long total = 0;
        for (int i = 0; i < FACES; i++) {
            FaceSample s = maker.make(dataset.get(i), new Random(0));
            for (String part : List.of("hr", "lr")) {
                BufferedImage actual = part.equals("hr") ? s.hr() : s.lr();
                BufferedImage expected = Fixtures.rgbImage(NPZ, part + "_" + i);
                int[] d = maxAndCountEqual(actual, expected);
                assertTrue(d[0] <= 1, part + "_" + i + " differs by " + d[0] + " grey levels");
                equal += d[1];
                total += 3L * actual.getWidth() * actual.getHeight();
            }
            float[] lm = values("landmark_cropped_" + i);
            for (int p = 0; p < 68; p++) {
                assertEquals(lm[2 * p], s.landmarks()[p][0], 1e-4, "landmark " + p);
                assertEquals(lm[2 * p + 1], s.landmarks()[p][1], 1e-4, "landmark " + p);
            }
            assertEquals(32, s.heatmapSize());
            assertArrayEquals(values("heatmap_" + i), s.heatmaps(), 1e-6f, "heatmap_" + i);
            // normalisation: bit-level equal given equal pixels
            assertArrayEquals(values("hr_tensor_" + i), FaceTensors.toTensor(Fixtures.rgbImage(NPZ, "hr_" + i)), 0f);
            assertArrayEquals(values("lr_tensor_" + i), FaceTensors.toTensor(Fixtures.rgbImage(NPZ, "lr_" + i)), 0f);
        }
        System.out.printf("dataset pipeline: %d of %d HR/LR samples equal to the reference (%.4f%%)%n",
                equal, total, 100.0 * equal / total);
    }

    private static int[] maxAndCountEqual(BufferedImage a, BufferedImage b) {
        assertEquals(b.getWidth(), a.getWidth());
        assertEquals(b.getHeight(), a.getHeight());
        int max = 0;
        int equal = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                for (int c = 0; c < 3; c++) {
                    int d = Math.abs(((a.getRGB(x, y) >> (8 * c)) & 0xff) - ((b.getRGB(x, y) >> (8 * c)) & 0xff));
                    max = Math.max(max, d);
                    equal += d == 0 ? 1 : 0;
                }
            }
        }
        return new int[] {max, equal};
    }

    @Test
    void mirrorIsTheReferencePermutationExceptThatEyesSwapSides() {
        int[] ours = LandmarkScheme.IBUG_68.mirror();
        float[] reference = values("hflip_permutation_68");
        for (int i = 0; i < 68; i++) {
            assertEquals(i, ours[ours[i]], "a mirror is its own inverse at " + i);
            if (i < 36 || i > 47) {
                assertEquals((int) reference[i], ours[i], "point " + i);
            }
        }
        // the reference maps each eye onto itself (36 -> 39); a flipped left eye is the right eye
        assertArrayEquals(new int[] {45, 44, 43, 42, 47, 46, 39, 38, 37, 36, 41, 40},
                IntStream.rangeClosed(36, 47).map(i -> ours[i]).toArray());
        assertEquals(39, (int) reference[36]);
    }

    @Test
    void flipMirrorsImagesLandmarksAndHeatmaps() throws IOException {
        FaceDataset dataset = referenceDataset();
        SampleOptions withFlip = new SampleOptions(128, 16, 1.0, true, false, 1.0, 1.0, null);
        FaceSample plain = new SampleMaker(SampleOptions.EVALUATION).make(dataset.get(0), new Random(0));
        // a seed whose first coin (the flip's, without distortion) says flip
        int seed = IntStream.range(0, 64).filter(s -> new Random(s).nextBoolean()).findFirst().orElseThrow();
        FaceSample flipped = new SampleMaker(withFlip).make(dataset.get(0), new Random(seed));
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                assertEquals(plain.hr().getRGB(127 - x, y), flipped.hr().getRGB(x, y));
            }
        }
        int[] mirror = LandmarkScheme.IBUG_68.mirror();
        for (int p = 0; p < 68; p++) {
            assertEquals(127 - plain.landmarks()[mirror[p]][0], flipped.landmarks()[p][0], 1e-12);
            assertEquals(plain.landmarks()[mirror[p]][1], flipped.landmarks()[p][1], 1e-12);
        }
        // the right eye's outer corner of the flipped face is where the left one was, mirrored
        assertEquals(127 - plain.landmarks()[36][0], flipped.landmarks()[45][0], 1e-12);
        assertArrayEquals(Heatmaps.gaussian(flipped.landmarks(), 32, 4, 1.0), flipped.heatmaps());
    }

    @Test
    void rotationTurnsImagesAndLandmarksTogether() throws IOException {
        FaceDataset dataset = referenceDataset();
        SampleOptions withRotation = new SampleOptions(128, 16, 1.0, false, true, 1.0, 1.0, null);
        FaceSample plain = new SampleMaker(SampleOptions.EVALUATION).make(dataset.get(0), new Random(0));
        // a seed whose draw says one quarter turn (small seeds all draw the same first quarter)
        long seed = LongStream.range(0, 64).map(s -> s * 1_000_003L).filter(s -> new Random(s).nextInt(4) == 1)
                .findFirst().orElseThrow();
        FaceSample turned = new SampleMaker(withRotation).make(dataset.get(0), new Random(seed));
        for (int y = 0; y < 128; y++) {
            for (int x = 0; x < 128; x++) {
                // numpy rot90 (k=1): out[i][j] = in[j][W-1-i]
                assertEquals(plain.hr().getRGB(127 - y, x), turned.hr().getRGB(x, y));
            }
        }
        for (int p = 0; p < 68; p++) {
            double[] before = plain.landmarks()[p];
            assertEquals(before[1], turned.landmarks()[p][0], 1e-12);
            assertEquals(127 - before[0], turned.landmarks()[p][1], 1e-12);
            // the landmark still sits on the same colour
            int x = (int) Math.round(before[0]);
            int y = (int) Math.round(before[1]);
            assertEquals(plain.hr().getRGB(x, y), turned.hr().getRGB(y, 127 - x));
        }
        assertArrayEquals(Heatmaps.gaussian(turned.landmarks(), 32, 4, 1.0), turned.heatmaps());
    }
}
