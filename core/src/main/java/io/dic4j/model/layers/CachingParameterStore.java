package io.dic4j.model.layers;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.dic4j.model.ops.Local;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A parameter store that also keeps the kernels layers derive from their weights, for forwards without gradients
 * while the weights do not change: a loaded model's predictions, or one forward of a model in training. Rearranging
 * a ×8 projection's kernel into its phase form costs 1.5–3.5 ms per call at batch 1, about as much as the conv
 * itself, and a transposed conv's into an ordinary conv's ~1 ms (docs/performance.md); the attentive feedback block
 * runs three times per forward, and a predictor runs many forwards. The kernels are owned by the store's manager.
 */
public final class CachingParameterStore extends ParameterStore {

    private final NDManager manager;
    private final Map<Parameter, NDList> kernels = new ConcurrentHashMap<>();

    public CachingParameterStore(NDManager manager) {
        super(manager, false);
        this.manager = manager;
    }

    /** {@code derive} of the parameter's value, computed on first use. */
    NDList kernels(Parameter parameter, Device device, Function<NDArray, NDList> derive) {
        return kernels.computeIfAbsent(parameter, p -> {
            try (NDManager scratch = manager.newSubManager()) {
                NDList derived = derive.apply(Local.view(getValue(p, device, false), scratch));
                derived.attach(manager);
                // made inside some block's scope, which would close it on return
                NDScope.unregister(derived);
                return derived;
            }
        });
    }
}
