package io.dic4j.infer;

import ai.djl.pytorch.jni.JniUtils;
import java.util.function.Supplier;

/**
 * Runs work on tensors (a forward pass, a copy into weights) without recording an autograd graph, whatever the
 * weights' flags (e.g. mid-training).
 */
public final class Inference {

    private Inference() {}

    public static <T> T withoutGradients(Supplier<T> forward) {
        // PyTorch's grad mode is per thread
        boolean before = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            return forward.get();
        } finally {
            JniUtils.setGradMode(before);
        }
    }
}
