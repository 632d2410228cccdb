package io.dic4j.model.layers;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import io.dic4j.model.ops.BFloat16;
import io.dic4j.model.ops.Local;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What runs a network: the parameter store its blocks read, carrying the {@link ForwardMode} of the pass. This is the
 * one place that sets PyTorch's grad mode ({@link #run}) and the one place that reads it ({@link #modeOf}, for plain
 * stores).
 *
 * <p>An inference pass also keeps the kernels layers derive from their weights (in bfloat16 for
 * {@link ForwardMode#INFERENCE_BF16}, so that no pass casts them again): rearranging a
 * ×8 projection's kernel into its phase form costs about as much as the conv itself at batch 1 (docs/performance.md);
 * the attentive feedback block runs three times per forward, and a predictor runs many forwards. The kernels are owned
 * by the pass's manager.
 */
public final class ForwardPass extends ParameterStore {

    private final NDManager manager;
    private final ForwardMode mode;
    /** The derived kernels, by weight; null where the weights may change during the pass. */
    private final Map<Parameter, NDList> kernels;

    private ForwardPass(NDManager manager, ForwardMode mode) {
        super(manager, false);
        this.manager = manager;
        this.mode = mode;
        this.kernels = mode.isInference() ? new ConcurrentHashMap<>() : null;
    }

    /** A pass in {@code mode} whose arrays (the kept kernels) {@code manager} owns. */
    public static ForwardPass of(NDManager manager, ForwardMode mode) {
        return new ForwardPass(manager, mode);
    }

    public ForwardMode mode() {
        return mode;
    }

    /** Runs {@code work} (forwards through this pass) with autograd recording exactly when the mode does. */
    public <T> T run(Supplier<T> work) {
        return recording(mode.recordsGraph(), work);
    }

    /** {@code block}'s forward in this pass. */
    public NDList forward(Block block, NDList inputs, boolean training) {
        return run(() -> block.forward(this, inputs, training));
    }

    /** Runs {@code work} with PyTorch's grad mode, which is per thread, set to {@code record}. */
    public static <T> T recording(boolean record, Supplier<T> work) {
        boolean before = JniUtils.isGradMode();
        JniUtils.setGradMode(record);
        try {
            return work.get();
        } finally {
            JniUtils.setGradMode(before);
        }
    }

    /**
     * The mode of a forward through {@code ps}: a pass's own; for a plain store (DJL's trainers and predictors, a
     * caller that set the grad mode itself) the engine's grad mode and the training flag tell.
     */
    public static ForwardMode modeOf(ParameterStore ps, boolean training) {
        if (ps instanceof ForwardPass pass) {
            return pass.mode;
        }
        if (JniUtils.isGradMode()) {
            return ForwardMode.RECORDED;
        }
        return training ? ForwardMode.CHECKPOINT : ForwardMode.INFERENCE;
    }

    /** {@code derive} of {@code weight}'s value, kept by an inference pass, derived anew by any other store. */
    static NDList derived(ParameterStore ps, Parameter weight, NDArray x, boolean training,
            Function<NDArray, NDList> derive) {
        if (ps instanceof ForwardPass pass && pass.kernels != null) {
            return pass.kernels(weight, x.getDevice(), derive);
        }
        return derive.apply(Local.view(ps.getValue(weight, x.getDevice(), training), x.getManager()));
    }

    private NDList kernels(Parameter parameter, Device device, Function<NDArray, NDList> derive) {
        return kernels.computeIfAbsent(parameter, p -> {
            try (NDManager scratch = manager.newSubManager()) {
                NDList derived = derive.apply(Local.view(getValue(p, device, false), scratch));
                if (mode.bfloat16()) {
                    derived = new NDList(derived.stream().map(BFloat16::of).toList());
                }
                derived.attach(manager);
                // made inside some block's scope, which would close it on return
                NDScope.unregister(derived);
                return derived;
            }
        });
    }
}
