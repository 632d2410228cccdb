package io.dic4j.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * A block whose temporaries die when it returns. DJL frees an array only when its manager closes, so a
 * forward pass would otherwise hold every intermediate of every layer until the caller's manager closes
 * (gigabytes per face for the paper's DIC, docs/performance.md). Here each forward runs in an {@link NDScope}: arrays created
 * inside are closed at the end, except the outputs, which join the enclosing scope so that the caller's own
 * scope frees them in turn. Closing a handle does not free what autograd saved for the backward pass.
 */
public abstract class ScopedBlock extends AbstractBlock {

    @Override
    protected final NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDList out;
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            out = compute(ps, inputs, training);
            NDScope.unregister(out);
        }
        Set<NDArray> given = Collections.newSetFromMap(new IdentityHashMap<>());
        given.addAll(inputs);
        for (NDArray a : out) {
            // an input passed through belongs to the caller's scope already
            if (!given.contains(a)) {
                NDScope.register(a);
            }
        }
        return out;
    }

    /** The block's computation; every array it creates but its outputs is closed when it returns. */
    protected abstract NDList compute(ParameterStore ps, NDList inputs, boolean training);
}
