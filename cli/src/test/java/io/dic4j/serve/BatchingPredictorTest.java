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
import java.util.function.Function;
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
        FirstPassHeld forward = new FirstPassHeld(BatchingPredictorTest::echo);
        BufferedImage face = DicServerTest.face(16, 16, 0x304050);
        try (BatchingPredictor batcher = new BatchingPredictor(forward, 1, 8, Duration.ofMillis(500))) {
            CompletableFuture<DicPredictor.Result> first = batcher.submit(face);
            await(forward.running);
            CompletableFuture<DicPredictor.Result> queued = batcher.submit(face);
            // the queued face arrived longer ago than the wait when the first pass ends
            Thread.sleep(700);
            // its client comes back 50 ms after its answer, as a client over loopback does
            CompletableFuture<CompletableFuture<DicPredictor.Result>> next = first.thenApplyAsync(r -> batcher.submit(face),
                    CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS));
            forward.release.countDown();
            queued.get(10, TimeUnit.SECONDS);
            next.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        }
        assertEquals(List.of(1, 2), forward.sizes);
    }

    /** A client alone, sending its next face as soon as it has its answer, never waits for company. */
    @Test
    void aClientAloneIsNotKeptWaiting() throws Exception {
        FirstPassHeld forward = new FirstPassHeld(BatchingPredictorTest::echo);
        BufferedImage face = DicServerTest.face(16, 16, 0x304050);
        try (BatchingPredictor batcher = new BatchingPredictor(forward, 1, 8, Duration.ofSeconds(60))) {
            // the next face is sent from the answer's own completion, before the worker looks at its queue again
            CompletableFuture<CompletableFuture<DicPredictor.Result>> next = batcher.submit(face)
                    .thenApply(r -> batcher.submit(face));
            forward.release.countDown();
            // well within the minute a pass may wait for company
            next.get(10, TimeUnit.SECONDS).get(10, TimeUnit.SECONDS);
        }
        assertEquals(List.of(1, 1), forward.sizes);
    }

    /** Faces that are waiting when a pass starts all join it, however few the worker expected. */
    @Test
    void facesAlreadyWaitingShareAPass() throws Exception {
        FirstPassHeld forward = new FirstPassHeld(BatchingPredictorTest::echo);
        BufferedImage face = DicServerTest.face(16, 16, 0x304050);
        try (BatchingPredictor batcher = new BatchingPredictor(forward, 1, 8, Duration.ofSeconds(60))) {
            // three faces queued by the first answer's completion: after the worker counted, before it takes again
            CompletableFuture<List<CompletableFuture<DicPredictor.Result>>> burst = batcher.submit(face)
                    .thenApply(r -> List.of(batcher.submit(face), batcher.submit(face), batcher.submit(face)));
            forward.release.countDown();
            for (CompletableFuture<DicPredictor.Result> f : burst.get(10, TimeUnit.SECONDS)) {
                f.get(10, TimeUnit.SECONDS);
            }
        }
        assertEquals(List.of(1, 3), forward.sizes);
    }

    /** A forward pass that records each pass's size, and holds the first pass from when it runs until released. */
    private static final class FirstPassHeld implements Function<List<BufferedImage>, List<DicPredictor.Result>> {
        final List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        final CountDownLatch running = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        private final Function<List<BufferedImage>, List<DicPredictor.Result>> forward;

        FirstPassHeld(Function<List<BufferedImage>, List<DicPredictor.Result>> forward) {
            this.forward = forward;
        }

        @Override
        public List<DicPredictor.Result> apply(List<BufferedImage> batch) {
            sizes.add(batch.size());
            if (sizes.size() == 1) {
                running.countDown();
                await(release);
            }
            return forward.apply(batch);
        }
    }

    /** A stand-in for DIC where only the passes matter: each face is its own result. */
    private static List<DicPredictor.Result> echo(List<BufferedImage> batch) {
        return batch.stream().map(f -> new DicPredictor.Result(List.of(f), List.of())).toList();
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
        FirstPassHeld forward = new FirstPassHeld(predictor::predict);
        List<CompletableFuture<DicPredictor.Result>> results = new ArrayList<>();
        try (BatchingPredictor batcher = new BatchingPredictor(forward, 1, 4, Duration.ofMillis(200))) {
            CompletableFuture<DicPredictor.Result> first = batcher.submit(faces.get(0));
            await(forward.running);
            for (BufferedImage face : faces) {
                results.add(batcher.submit(face));
            }
            forward.release.countDown();
            first.get(60, TimeUnit.SECONDS);
            for (int i = 0; i < faces.size(); i++) {
                BufferedImage f = faces.get(i);
                DicPredictor.Result expected = predictor.predict(List.of(f)).get(0);
                assertSameResult(expected, results.get(i).get(60, TimeUnit.SECONDS), "face " + i);
            }
            assertEquals(3, batcher.passes(), "passes counted");
            assertEquals(6, batcher.faces(), "faces counted");
        }
        assertEquals(List.of(1, 4, 1), forward.sizes);
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
