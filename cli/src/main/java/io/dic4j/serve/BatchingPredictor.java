package io.dic4j.serve;

import io.dic4j.infer.DicPredictor;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic batching, as DJL Serving and TorchServe do it: faces submitted by concurrent requests are gathered into one
 * forward pass of up to {@code maxBatch} faces. A worker takes the faces waiting, then waits at most {@code maxWait}
 * from that moment for those it expects: as many as its previous pass took plus those that queued while it ran,
 * whose clients are the ones it knows of (none before the first pass). The wait starts when the worker takes a face,
 * not when the face arrived: clients answered by the previous pass send their next request while the faces that
 * queued meanwhile wait, so they join them instead of splitting the clients into groups that take turns with small
 * passes (docs/performance.md). It ends as soon as the faces expected are there, so a client alone waits once at
 * most, in the first pass after the others left. A face's result does not depend on the other faces of its pass, nor
 * on their number: each gets bit for bit what it gets alone, as {@code dic4j upscale} of that one file gives it
 * (BatchingPredictorTest; see {@code Convolution} for how).
 */
final class BatchingPredictor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BatchingPredictor.class);

    private record Job(BufferedImage face, CompletableFuture<DicPredictor.Result> result) {}

    /** Ends a worker: queued after every job still waiting, so those run first. */
    private static final Job STOP = new Job(null, null);

    private final Function<List<BufferedImage>, List<DicPredictor.Result>> forward;
    private final int maxBatch;
    private final long maxWaitNanos;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final List<Thread> workers = new ArrayList<>();
    private final LongAdder passes = new LongAdder();
    private final LongAdder faces = new LongAdder();

    /**
     * @param forward a forward pass over a batch, {@code predictor::predict}
     * @param workers forward passes run at once
     * @param maxBatch faces per forward pass at most; 1 turns batching off
     * @param maxWait how long a worker that has taken a face waits for others to join it
     */
    BatchingPredictor(Function<List<BufferedImage>, List<DicPredictor.Result>> forward, int workers, int maxBatch,
            Duration maxWait) {
        if (workers < 1 || maxBatch < 1 || maxWait.isNegative()) {
            throw new IllegalArgumentException("workers and the batch size must be positive and the wait not"
                    + " negative, got " + workers + ", " + maxBatch + " and " + maxWait);
        }
        this.forward = forward;
        this.maxBatch = maxBatch;
        this.maxWaitNanos = maxWait.toNanos();
        for (int i = 0; i < workers; i++) {
            Thread t = new Thread(this::work, "dic4j-batch-" + i);
            t.setDaemon(true);
            t.start();
            this.workers.add(t);
        }
    }

    /** DIC's result for one {@link DicPredictor#INPUT_SIZE}² RGB face, computed in whichever batch it joins. */
    CompletableFuture<DicPredictor.Result> submit(BufferedImage face) {
        CompletableFuture<DicPredictor.Result> result = new CompletableFuture<>();
        queue.add(new Job(face, result));
        return result;
    }

    private void work() {
        List<Job> batch = new ArrayList<>(maxBatch);
        int expected = 1;
        try {
            while (true) {
                Job first = queue.take();
                if (first == STOP) {
                    return;
                }
                batch.add(first);
                boolean stop = gather(batch, expected, System.nanoTime() + maxWaitNanos);
                expected = Math.min(maxBatch, batch.size() + run(batch));
                batch.clear();
                if (stop) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Adds the jobs already waiting to {@code batch}, up to {@code maxBatch}, and while it holds fewer than
     * {@code expected}, those that come before {@code deadline}; true when it met {@link #STOP}.
     */
    private boolean gather(List<Job> batch, int expected, long deadline) throws InterruptedException {
        while (batch.size() < maxBatch) {
            long wait = batch.size() < expected ? Math.max(deadline - System.nanoTime(), 0) : 0;
            Job next = queue.poll(wait, TimeUnit.NANOSECONDS);
            if (next == null) {
                return false;
            }
            if (next == STOP) {
                return true;
            }
            batch.add(next);
        }
        return false;
    }

    /** Forward passes run so far. */
    long passes() {
        return passes.sum();
    }

    /** Faces that went through those passes: over {@link #passes()}, how full the passes were. */
    long faces() {
        return faces.sum();
    }

    /**
     * Runs a pass and answers its faces; returns how many faces queued while it ran, counted before any answer goes
     * out, so that the faces its own clients send next are not counted as others.
     */
    private int run(List<Job> batch) {
        passes.increment();
        faces.add(batch.size());
        List<DicPredictor.Result> results;
        try {
            results = forward.apply(batch.stream().map(Job::face).toList());
        } catch (RuntimeException e) {
            int queued = queue.size();
            LOG.error("a forward pass of {} face(s) failed", batch.size(), e);
            batch.forEach(job -> job.result().completeExceptionally(e));
            return queued;
        }
        int queued = queue.size();
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).result().complete(results.get(i));
        }
        return queued;
    }

    /** Runs every face already submitted, then stops the workers. */
    @Override
    public void close() {
        workers.forEach(w -> queue.add(STOP));
        for (Thread w : workers) {
            try {
                w.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
