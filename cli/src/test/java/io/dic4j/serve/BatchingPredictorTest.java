package io.dic4j.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dic4j.infer.DicPredictor;
import io.dic4j.testing.Fixtures;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Dynamic batching: faces submitted together share passes, and a face's result does not depend on its company. */
class BatchingPredictorTest {

    @Test
    void aFaceGetsTheSameResultInEveryPassOfTwoOrMore() throws Exception {
        try (DicPredictor small = DicPredictor.load(Fixtures.path("dic_small_ckp.pth"));
                DicPredictor builtIn = DicPredictor.builtIn()) {
            for (DicPredictor predictor : List.of(small, builtIn)) {
                assertBatchedEqualsPasses(predictor);
            }
        }
    }

    /** Five faces at a batch of at most 4: passes of 4 and 1. Each gets exactly what it gets alone. */
    private static void assertBatchedEqualsPasses(DicPredictor predictor) throws Exception {
        List<BufferedImage> faces = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            faces.add(DicServerTest.face(16, 16, 0x304050 + 0x113355 * i));
        }
        List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<DicPredictor.Result>> results = new ArrayList<>();
        // a wait long enough that all five are queued before the first pass starts
        try (BatchingPredictor batcher = new BatchingPredictor(batch -> {
            batchSizes.add(batch.size());
            return predictor.predict(batch);
        }, 1, 4, Duration.ofSeconds(1))) {
            for (BufferedImage face : faces) {
                results.add(batcher.submit(face));
            }
            for (int i = 0; i < faces.size(); i++) {
                BufferedImage f = faces.get(i);
                DicPredictor.Result expected = predictor.predict(List.of(f)).get(0);
                assertSameResult(expected, results.get(i).get(60, TimeUnit.SECONDS), "face " + i);
            }
            assertEquals(2, batcher.passes(), "passes counted");
            assertEquals(5, batcher.faces(), "faces counted");
        }
        assertEquals(List.of(4, 1), batchSizes);
    }

    private static void assertSameResult(DicPredictor.Result expected, DicPredictor.Result actual, String what) {
        for (int s = 0; s < expected.steps().size(); s++) {
            assertArrayEquals(DicServerTest.pixels(expected.steps().get(s)), DicServerTest.pixels(actual.steps().get(s)),
                    what + ", step " + s);
            for (int p = 0; p < expected.stepLandmarks().get(s).length; p++) {
                assertArrayEquals(expected.stepLandmarks().get(s)[p], actual.stepLandmarks().get(s)[p], 0f,
                        what + ", step " + s + ", point " + p);
            }
        }
    }
}
