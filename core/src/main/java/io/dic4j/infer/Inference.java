package io.dic4j.infer;

import io.dic4j.model.layers.ForwardPass;
import java.util.function.Supplier;

/**
 * Runs work on tensors (a forward pass, a copy into weights) without recording an autograd graph, whatever the
 * weights' flags (e.g. mid-training).
 */
public final class Inference {

    private Inference() {}

    public static <T> T withoutGradients(Supplier<T> work) {
        return ForwardPass.recording(false, work);
    }
}
