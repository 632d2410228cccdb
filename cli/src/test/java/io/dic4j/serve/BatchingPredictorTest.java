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
import java.util.concurrent.CountDownLatch;
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

    /**
     * Closed-loop clients: a face that queued while a pass ran waits, once taken, for the client that pass answered
     * to send its next face, so the two share the next pass instead of taking turns in passes of one.
     */
    @Test
    void aWaitStartsWhenTheFaceIsTakenNotWhenItArrived() throws Exception {
        CountDownLatch firstPassRunning = new CountDownLatch(1);
        CountDownLatch releaseFirstPass = new CountDownLatch(1);
        List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        BufferedImage face = DicServerTest.face(16, 16, 0x304050);
        try (BatchingPredictor batcher = new BatchingPredictor(batch -> {
            batchSizes.add(batch.size());
            if (batchSizes.size() == 1) {
                firstPassRunning.countDown();
                await(releaseFirstPass);
            }
            return batch.stream().map(f -> new DicPredictor.Result(List.of(f), List.of())).toList();
        }, 1, 8, Duration.ofMillis(500))) {
            CompletableFuture<DicPredictor.Result> first = batcher.submit(face);
            await(firstPassRunning);
            CompletableFuture<DicPredictor.Result> queued = batcher.submit(face);
            // the queued face arrived longer ago than the wait when the first pass ends
            Thread.sleep(700);
            // its client comes back 50 ms after its answer, as a client over loopback does
            CompletableFuture<CompletableFuture<DicPredictor.Result>> next = first.thenApplyAsync(r -> batcher.submit(face),
                    CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
            releaseFirstPass.countDown();
            queued.get(10, TimeUnit.SECONDS);
            next.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        }
        assertEquals(List.of(1, 2), batchSizes);
    }

    /** A client alone, sending its next face as soon as it has its answer, never waits for company. */
    @Test
    void aClientAloneIsNotKeptWaiting() throws Exception {
        CountDownLatch answerAwaited = new CountDownLatch(1);
        List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        BufferedImage face = DicServerTest.face(16, 16, 0x304050);
        try (BatchingPredictor batcher = new BatchingPredictor(batch -> {
            batchSizes.add(batch.size());
            await(answerAwaited);
            return batch.stream().map(f -> new DicPredictor.Result(List.of(f), List.of())).toList();
        }, 1, 8, Duration.ofSeconds(60))) {
            // the next face is sent from the answer's own completion, before the worker looks at its queue again
            CompletableFuture<CompletableFuture<DicPredictor.Result>> next = batcher.submit(face)
                    .thenApply(r -> batcher.submit(face));
            answerAwaited.countDown();
            // well within the minute a pass may wait for company
            next.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        }
        assertEquals(List.of(1, 1), batchSizes);
    }

    /** Faces that are waiting when a pass starts all join it, however few the worker expected. */
    @Test
    void facesAlreadyWaitingShareAPass() throws Exception {
        CountDownLatch firstPassAnswerable = new CountDownLatch(1);
        List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        BufferedImage face = DicServerTest.face(16, 16, 0x304050);
        try (BatchingPredictor batcher = new BatchingPredictor(batch -> {
            batchSizes.add(batch.size());
            await(firstPassAnswerable);
            return batch.stream().map(f -> new DicPredictor.Result(List.of(f), List.of())).toList();
        }, 1, 8, Duration.ofSeconds(60))) {
            // three faces queued by the first answer's completion: after the worker counted, before it takes again
            CompletableFuture<List<CompletableFuture<DicPredictor.Result>>> burst = batcher.submit(face)
                    .thenApply(r -> List.of(batcher.submit(face), batcher.submit(face), batcher.submit(face)));
            firstPassAnswerable.countDown();
            for (CompletableFuture<DicPredictor.Result> f : burst.get(10, TimeUnit.SECONDS)) {
                f.get(10, TimeUnit.SECONDS);
            }
        }
        assertEquals(List.of(1, 3), batchSizes);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Five faces at a batch of at most 4, queued while another pass runs: the next pass takes the four it may and the
     * last face goes after them. Each gets exactly what it gets alone.
     */
    private static void assertBatchedEqualsPasses(DicPredictor predictor) throws Exception {
        List<BufferedImage> faces = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            faces.add(DicServerTest.face(16, 16, 0x304050 + 0x113355 * i));
        }
        CountDownLatch firstPassRunning = new CountDownLatch(1);
        CountDownLatch facesQueued = new CountDownLatch(1);
        List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<DicPredictor.Result>> results = new ArrayList<>();
        try (BatchingPredictor batcher = new BatchingPredictor(batch -> {
            batchSizes.add(batch.size());
            if (batchSizes.size() == 1) {
                firstPassRunning.countDown();
                await(facesQueued);
            }
            return predictor.predict(batch);
        }, 1, 4, Duration.ofMillis(200))) {
            CompletableFuture<DicPredictor.Result> first = batcher.submit(faces.get(0));
            await(firstPassRunning);
            for (BufferedImage face : faces) {
                results.add(batcher.submit(face));
            }
            facesQueued.countDown();
            first.get(60, TimeUnit.SECONDS);
            for (int i = 0; i < faces.size(); i++) {
                BufferedImage f = faces.get(i);
                DicPredictor.Result expected = predictor.predict(List.of(f)).get(0);
                assertSameResult(expected, results.get(i).get(60, TimeUnit.SECONDS), "face " + i);
            }
            assertEquals(3, batcher.passes(), "passes counted");
            assertEquals(6, batcher.faces(), "faces counted");
        }
        assertEquals(List.of(1, 4, 1), batchSizes);
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
