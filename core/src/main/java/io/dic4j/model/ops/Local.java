package io.dic4j.model.ops;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * DJL attaches an op's result to the manager of its receiver. An op on a parameter would therefore leave its
 * result in the model's manager for the model's lifetime; this view of the parameter lives in the manager of
 * the activations instead, so per-step sub-managers free it.
 */
public final class Local {

    private Local() {}

    /** A differentiable view of {@code param} owned by {@code manager}. */
    public static NDArray view(NDArray param, NDManager manager) {
        NDArray view = param.reshape(param.getShape());
        view.attach(manager);
        return view;
    }
}
