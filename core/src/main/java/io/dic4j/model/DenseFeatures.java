package io.dic4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.dic4j.model.layers.ForwardMode;
import io.dic4j.model.ops.BFloat16;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The feedback block's dense connections: feature maps of equal shape, added one by one, read as the channel
 * concatenation of a run of them.
 *
 * <p>For plain (N, C, H, W) maps, where no graph is recorded, each map is copied once into a buffer laid out as the
 * concatenation of all. For one face every concatenation asked for is then a contiguous view of it; concatenating
 * anew for each projection group moved each map up to five times more (docs/performance.md). For several faces a run
 * of channels is not contiguous and the conv copies it, as a concatenation would; an inference pass keeps the buffer
 * there too so that the conv reads the same layout at every batch size: a map added channels-last would otherwise be
 * concatenated channels-last at batch 2 and up only, and the ops after it would round differently from batch 1, so
 * that a face's result would depend on its batch. A checkpointing pass buffers one face only, where the buffer's
 * layout is the concatenation's, as the recorded pass that recomputes it concatenates. Elsewhere the maps are
 * concatenated on request: autograd forbids writing into a tensor whose views it saved for the backward pass, and
 * channels-last maps (the ×8 side, see {@link io.dic4j.model.ops.SubPixelProjection}) stay channels-last.
 */
final class DenseFeatures {

    private final int capacity;
    /** The pass the maps are made in, which decides whether they are copied into a buffer; null: never. */
    private final ForwardMode mode;
    private final List<NDArray> maps = new ArrayList<>();
    private NDArray buffer;

    private DenseFeatures(int capacity, ForwardMode mode) {
        this.capacity = capacity;
        this.mode = mode;
    }

    /**
     * Plain maps, buffered where that applies; {@code capacity}: the most maps that will be added, {@code mode}: the
     * pass they are made in.
     */
    static DenseFeatures buffered(int capacity, ForwardMode mode) {
        return new DenseFeatures(capacity, mode);
    }

    /** Maps concatenated on every request, as channels-last maps must be. */
    static DenseFeatures concatenating(int capacity) {
        return new DenseFeatures(capacity, null);
    }

    private boolean buffers(NDArray first) {
        return mode != null && (mode.isInference() || mode == ForwardMode.CHECKPOINT && first.getShape().get(0) == 1);
    }

    void add(NDArray map) {
        if (maps.size() == capacity) {
            throw new IllegalStateException("dense features hold at most " + capacity + " maps");
        }
        if (maps.isEmpty() && buffers(map)) {
            Shape s = map.getShape();
            Shape all = new Shape(s.get(0), capacity * s.get(1), s.get(2), s.get(3));
            // a bfloat16 pass keeps the maps in bfloat16, also where the first one was promoted
            buffer = mode.bfloat16() ? BFloat16.zeros(map.getManager(), all)
                    : map.getManager().create(all, map.getDataType());
        }
        if (buffer != null) {
            buffer.set(channels(maps.size(), maps.size() + 1, map), map);
        }
        maps.add(map);
    }

    /**
     * {@code f} of maps {@code from} to the last concatenated along channels; a concatenation made for the call is
     * closed after it rather than with the block, which lowers the inference peak (docs/performance.md); autograd
     * keeps what it saved regardless.
     */
    NDArray apply(int from, UnaryOperator<NDArray> f) {
        NDArray in = concat(from);
        NDArray out = f.apply(in);
        if (!holds(in)) {
            in.close();
        }
        return out;
    }

    /** Whether {@code array} is one of the maps added. */
    boolean holds(NDArray array) {
        return maps.stream().anyMatch(map -> map == array);
    }

    /** Maps {@code from} to the last, concatenated along channels. */
    NDArray concat(int from) {
        if (from == maps.size() - 1) {
            return maps.get(from);
        }
        if (buffer != null) {
            return buffer.get(channels(from, maps.size(), maps.get(0)));
        }
        return NDArrays.concat(new NDList(maps.subList(from, maps.size())), 1);
    }

    private static NDIndex channels(int fromMap, int toMap, NDArray map) {
        long c = map.getShape().get(1);
        return new NDIndex(":, {}:{}", fromMap * c, toMap * c);
    }
}
