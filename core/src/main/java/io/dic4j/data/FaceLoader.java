package io.dic4j.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Batches of samples made by worker threads ahead of use, with a bounded queue of {@code prefetch} batches, so
 * decoding and resizing overlap the network. Batch {@code b} is a pure function of (seed, b): epochs are
 * reshuffled from the seed, each sample's augmentation draws from its own seeded {@link Random}, so results do
 * not depend on thread timing and a run can restart at any batch.
 */
public final class FaceLoader implements AutoCloseable {

    /**
     * @param batchSize samples per batch
     * @param shuffle reshuffle every epoch (training); otherwise dataset order
     * @param dropLast skip an epoch's last partial batch (training); otherwise it is shorter
     * @param seed of the shuffles and augmentations
     * @param workers threads making samples
     * @param prefetch batches made ahead of the one being used
     */
    public record Options(int batchSize, boolean shuffle, boolean dropLast, long seed, int workers, int prefetch) {
        public Options {
            if (batchSize < 1 || workers < 1 || prefetch < 1) {
                throw new IllegalArgumentException("batch size, workers and prefetch must be at least 1");
            }
        }

        /** One pass in dataset order, e.g. for evaluation. */
        public static Options inOrder(int batchSize, int workers) {
            return inOrder(batchSize, workers, 0);
        }

        /** One pass in dataset order whose samples draw from {@code seed} (e.g. an evaluation's {@link LrResample}). */
        public static Options inOrder(int batchSize, int workers, long seed) {
            return new Options(batchSize, false, false, seed, workers, 2);
        }
    }

    private final FaceDataset dataset;
    private final SampleMaker maker;
    private final Options options;
    private final ExecutorService pool;

    public FaceLoader(FaceDataset dataset, SampleMaker maker, Options options) {
        if (options.dropLast() && dataset.size() < options.batchSize()) {
            throw new IllegalArgumentException("the dataset has " + dataset.size() + " faces, fewer than a batch of "
                    + options.batchSize());
        }
        this.dataset = dataset;
        this.maker = maker;
        this.options = options;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(options.workers(), r -> {
            Thread t = new Thread(r, "dic4j-loader-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Batches per epoch. */
    public long batchesPerEpoch() {
        int n = dataset.size();
        int b = options.batchSize();
        return options.dropLast() ? n / b : (n + b - 1) / b;
    }

    /** The dataset indices of batch {@code b} (any b ≥ 0; epochs repeat). */
    public int[] indices(long batch) {
        long epoch = batch / batchesPerEpoch();
        int first = (int) (batch % batchesPerEpoch()) * options.batchSize();
        int[] order = order(epoch);
        int last = Math.min(first + options.batchSize(), order.length);
        int[] out = new int[last - first];
        System.arraycopy(order, first, out, 0, out.length);
        return out;
    }

    private int[] order(long epoch) {
        int[] order = new int[dataset.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (options.shuffle()) {
            Random r = new Random(options.seed() * 0x9E3779B97F4A7C15L + epoch);
            for (int i = order.length - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return order;
    }

    /**
     * Batches {@code first}, {@code first + 1}, … ({@code count} of them; {@link Long#MAX_VALUE} for endless).
     * Iterating throws {@link UncheckedIOException} naming the file of a sample that cannot be made.
     */
    public Iterator<List<FaceSample>> batches(long first, long count) {
        return new Iterator<>() {
            private final Deque<List<Future<FaceSample>>> queue = new ArrayDeque<>();
            private long submitted = first;
            private final long end = count == Long.MAX_VALUE ? Long.MAX_VALUE : first + count;

            private void fill() {
                while (queue.size() < options.prefetch() + 1 && submitted < end) {
                    queue.add(submit(submitted++));
                }
            }

            @Override
            public boolean hasNext() {
                fill();
                return !queue.isEmpty();
            }

            @Override
            public List<FaceSample> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                List<FaceSample> batch = new ArrayList<>();
                for (Future<FaceSample> f : queue.poll()) {
                    batch.add(get(f));
                }
                fill();
                return batch;
            }
        };
    }

    /** Every face once, in order (the last batch may be shorter unless dropLast). */
    public Iterator<List<FaceSample>> epoch() {
        return batches(0, batchesPerEpoch());
    }

    private List<Future<FaceSample>> submit(long batch) {
        long epoch = batch / batchesPerEpoch();
        List<Future<FaceSample>> futures = new ArrayList<>();
        for (int index : indices(batch)) {
            long sampleSeed = mix(options.seed() * 0x5DEECE66DL + epoch * 1_000_003L + index);
            futures.add(pool.submit(() -> maker.make(dataset.get(index), new Random(sampleSeed))));
        }
        return futures;
    }

    private static FaceSample get(Future<FaceSample> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while loading samples", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw new UncheckedIOException(io.getMessage(), io);
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(c);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    /**
     * SplitMix64's finaliser. {@link Random}'s first draws barely move between consecutive seeds (about 1e-4 of a
     * {@code nextDouble} per seed), so samples seeded by their index drew nearly the same flip coin: with seed 300,
     * 1018, 0, 958, 433, 0 and 0 of 1,086 faces flipped in the first six epochs. Mixed seeds draw independently.
     */
    static long mix(long seed) {
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
