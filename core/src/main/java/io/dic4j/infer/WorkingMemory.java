package io.dic4j.infer;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.dic4j.util.MemoryAllocator;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Faults in the memory a forward pass will use, on a background thread, while the model loads.
 *
 * <p>The first forward at a batch size pays for its memory page by page: the pages libtorch's allocator takes from
 * the kernel fault in one at a time, and that made the first batch of 8 of the paper's network take 1.6× as long as
 * the next (docs/performance.md, issue 23). tcmalloc keeps what libtorch frees, so memory allocated and freed through
 * the engine here is what the first pass then reuses. Loading the weights keeps one core busy, so this runs on the
 * other one. Under glibc's malloc the freed blocks go straight back to the kernel and this does nothing.
 */
public final class WorkingMemory implements AutoCloseable {

    /**
     * What one face's forward takes at its peak, rounded up from the paper network's (146 MB measured), for a network
     * of unknown size: a larger guess costs time while it exceeds the load, and resident memory for as long as the
     * process lives, as tcmalloc keeps it; a smaller one leaves faults.
     */
    static final long BYTES_PER_FACE = 150L << 20;
    /** The same for the built-in model (83 MB measured). */
    static final long BUILT_IN_BYTES_PER_FACE = 85L << 20;
    private static final long CHUNK_BYTES = 16L << 20;

    private final Thread thread;

    private WorkingMemory(long bytes) {
        if (bytes <= 0) {
            this.thread = null;
            return;
        }
        this.thread = new Thread(() -> fault(bytes), "dic4j-working-memory");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Starts faulting in the memory of forwards at up to {@code batch} faces; nothing when the allocator would not
     * keep it. Close (or {@link #await()}) before the first forward, so the two do not share the cores.
     */
    public static WorkingMemory reserveFor(int batch) {
        return reserve(batch, BYTES_PER_FACE);
    }

    /** {@link #reserveFor} the built-in model ({@link DicPredictor#builtIn()}), which needs less. */
    public static WorkingMemory reserveForBuiltIn(int batch) {
        return reserve(batch, BUILT_IN_BYTES_PER_FACE);
    }

    private static WorkingMemory reserve(int batch, long bytesPerFace) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
        if (!MemoryAllocator.name().equals("tcmalloc")) {
            return new WorkingMemory(0);
        }
        Engine.getInstance();
        return new WorkingMemory(Math.min(batch * bytesPerFace, physicalMemory() / 4));
    }

    /** Waits until the memory is in. */
    public void await() {
        if (thread == null) {
            return;
        }
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        await();
    }

    private static void fault(long bytes) {
        // held all at once, so that the allocator has to take every page from the kernel
        try (NDManager manager = NDManager.newBaseManager()) {
            List<NDArray> chunks = new ArrayList<>();
            for (long done = 0; done < bytes; done += CHUNK_BYTES) {
                chunks.add(manager.zeros(new Shape(CHUNK_BYTES / Float.BYTES), DataType.FLOAT32));
            }
        }
    }

    private static long physicalMemory() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
    }
}
