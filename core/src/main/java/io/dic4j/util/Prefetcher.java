package io.dic4j.util;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * Maps a list in order on a background thread, at most {@code ahead} items ahead of the consumer: image decoding
 * overlaps the network's compute. {@code work} must not throw; return failures as values.
 */
public final class Prefetcher<T, R> implements Iterator<R>, AutoCloseable {

    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "dic4j-prefetch");
        t.setDaemon(true);
        return t;
    });
    private final Iterator<T> items;
    private final Function<T, R> work;
    private final Deque<Future<R>> queued = new ArrayDeque<>();

    public Prefetcher(List<T> items, Function<T, R> work, int ahead) {
        if (ahead < 1) {
            throw new IllegalArgumentException("ahead must be at least 1, got " + ahead);
        }
        this.items = items.iterator();
        this.work = work;
        for (int i = 0; i < ahead; i++) {
            submitNext();
        }
    }

    private void submitNext() {
        if (items.hasNext()) {
            T item = items.next();
            queued.add(worker.submit(() -> work.apply(item)));
        }
    }

    @Override
    public boolean hasNext() {
        return !queued.isEmpty();
    }

    @Override
    public R next() {
        if (queued.isEmpty()) {
            throw new NoSuchElementException();
        }
        Future<R> head = queued.poll();
        submitNext();
        try {
            return head.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while prefetching", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
