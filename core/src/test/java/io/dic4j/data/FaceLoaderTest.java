package io.dic4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader is deterministic whatever the threads, restartable at any batch, and names failing files. */
class FaceLoaderTest {

    @TempDir
    static Path dir;

    static FaceDataset faces;

    static final SampleMaker AUGMENTING = new SampleMaker(new SampleOptions(128, 16, 1.0, true, true, 0.8, 1.2, null));

    @BeforeAll
    static void writeFaces() throws IOException {
        faces = SyntheticFaces.write(dir.resolve("faces"), 10, 7, 144);
    }

    private static List<List<FaceSample>> take(FaceLoader loader, long first, long count) {
        List<List<FaceSample>> out = new ArrayList<>();
        loader.batches(first, count).forEachRemaining(out::add);
        return out;
    }

    private static void assertSameBatches(List<List<FaceSample>> a, List<List<FaceSample>> b) {
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).size(), b.get(i).size());
            for (int j = 0; j < a.get(i).size(); j++) {
                FaceSample x = a.get(i).get(j);
                FaceSample y = b.get(i).get(j);
                assertEquals(x.name(), y.name());
                assertArrayEquals(x.hrTensor(), y.hrTensor(), 0f);
                assertArrayEquals(x.heatmaps(), y.heatmaps(), 0f);
            }
        }
    }

    @Test
    void batchesDependOnSeedAndIndexOnlyNotOnThreads() {
        FaceLoader.Options one = new FaceLoader.Options(3, true, true, 42, 1, 1);
        FaceLoader.Options three = new FaceLoader.Options(3, true, true, 42, 3, 4);
        try (FaceLoader a = new FaceLoader(faces, AUGMENTING, one);
                FaceLoader b = new FaceLoader(faces, AUGMENTING, three)) {
            assertEquals(3, a.batchesPerEpoch());
            List<List<FaceSample>> straight = take(a, 0, 7);
            assertSameBatches(straight, take(b, 0, 7));
            // restart in the middle (a resumed run) and get the same batches
            assertSameBatches(straight.subList(4, 7), take(b, 4, 3));
            // each epoch is a permutation (drop-last leaves one face out), reshuffled per epoch
            int[] epoch0 = IntStream.range(0, 3).flatMap(i -> Arrays.stream(a.indices(i))).toArray();
            int[] epoch1 = IntStream.range(3, 6).flatMap(i -> Arrays.stream(a.indices(i))).toArray();
            assertEquals(9, Arrays.stream(epoch0).distinct().count());
            assertNotEquals(Arrays.toString(epoch0), Arrays.toString(epoch1));
        }
        try (FaceLoader a = new FaceLoader(faces, AUGMENTING, new FaceLoader.Options(3, true, true, 42, 1, 1));
                FaceLoader b = new FaceLoader(faces, AUGMENTING, new FaceLoader.Options(3, true, true, 43, 1, 1))) {
            assertNotEquals(Arrays.toString(a.indices(0)) + Arrays.toString(a.indices(1)),
                    Arrays.toString(b.indices(0)) + Arrays.toString(b.indices(1)), "another seed, another order");
        }
    }

    @Test
    void inOrderPassCoversEveryFaceOnceWithAShortLastBatch() {
        try (FaceLoader loader = new FaceLoader(faces, new SampleMaker(SampleOptions.EVALUATION),
                FaceLoader.Options.inOrder(4, 2))) {
            List<String> names = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            loader.epoch().forEachRemaining(b -> {
                sizes.add(b.size());
                b.forEach(s -> names.add(s.name()));
            });
            assertEquals(List.of(4, 4, 2), sizes);
            assertEquals(faces.records().stream().map(FaceRecord::name).toList(), names);
        }
    }

    @Test
    void aFailingImageIsNamed() throws IOException {
        Path bad = dir.resolve("faces").resolve("face_0003.png");
        byte[] original = Files.readAllBytes(bad);
        Files.write(bad, new byte[] {1, 2, 3});
        try (FaceLoader loader = new FaceLoader(faces, new SampleMaker(SampleOptions.EVALUATION),
                FaceLoader.Options.inOrder(2, 2))) {
            Iterator<List<FaceSample>> it = loader.epoch();
            it.next();
            UncheckedIOException e = assertThrows(UncheckedIOException.class, it::next);
            assertTrue(e.getMessage().contains("face_0003.png"), e.getMessage());
        } finally {
            Files.write(bad, original);
        }
    }

    @Test
    void consecutiveSamplesDrawIndependentCoins() {
        // the first nextBoolean of each sample's Random, as a flip is drawn: about half of them, in every epoch
        for (long epoch = 0; epoch < 6; epoch++) {
            int heads = 0;
            for (int index = 0; index < 1086; index++) {
                if (new Random(FaceLoader.mix(300 * 0x5DEECE66DL + epoch * 1_000_003L + index)).nextBoolean()) {
                    heads++;
                }
            }
            assertTrue(heads > 480 && heads < 606, "epoch " + epoch + ": " + heads + " of 1086 heads");
        }
    }
}
