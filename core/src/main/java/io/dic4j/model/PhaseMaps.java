package io.dic4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The feedback block's high-resolution features, the up-projections' outputs, kept for the dense connections of the
 * later groups. Each stays in {@link io.dic4j.model.ops.SubPixelProjection}'s phase layout, a few channels-last parts
 * that only per-pixel ops (the 1×1 compressions, part by part) and the down-projections read, so the ×8 image is
 * never interleaved.
 */
final class PhaseMaps {

    private final int capacity;
    /** Per part of the layout, the maps added so far. */
    private final List<DenseFeatures> parts = new ArrayList<>();

    /** {@code capacity}: the most maps that will be added. */
    PhaseMaps(int capacity) {
        this.capacity = capacity;
    }

    /** Adds an up-projection's output, as the list of its parts. */
    void add(NDList map) {
        for (int i = 0; i < map.size(); i++) {
            if (parts.size() == i) {
                parts.add(DenseFeatures.concatenating(capacity));
            }
            parts.get(i).add(map.get(i));
        }
    }

    /**
     * {@code down} of the maps read part by part through {@code compress}, a per-pixel op on their channel
     * concatenation (the identity where only one map was added); what {@code compress} makes only {@code down} reads,
     * so it is closed after.
     */
    NDArray read(UnaryOperator<NDArray> compress, Function<NDList, NDArray> down) {
        NDList in = new NDList(parts.size());
        parts.forEach(p -> in.add(p.apply(0, compress)));
        NDArray out = down.apply(in);
        for (int i = 0; i < in.size(); i++) {
            if (!parts.get(i).holds(in.get(i))) {
                in.get(i).close();
            }
        }
        return out;
    }
}
