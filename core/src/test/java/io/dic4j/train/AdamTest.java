package io.dic4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import io.dic4j.testing.Fixtures;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Adam and MultiStepLR against torch.optim (adam_multistep.npz, see src/test/python/adam_multistep.py). */
class AdamTest {

    static final String NPZ = "adam_multistep.npz";
    static final int STEPS = 6;
    static final int FROZEN = 2;
    static final MultiStepLr SCHEDULE = new MultiStepLr(1e-2, List.of(2, 4), 0.5);

    @Test
    void scheduleIsTorchMultiStepLrSteppedAfterEachIteration() {
        for (int step = 1; step <= STEPS; step++) {
            double torch = Fixtures.npz(NPZ).tensors().get("wd0.0/lr_" + step).values()[0];
            assertEquals(torch, SCHEDULE.rate(step - 1), 1e-9, "lr of iteration " + step);
        }
        assertEquals(1e-4 * 0.5, new MultiStepLr(1e-4, List.of(10), 0.5).rate(10), 1e-15, "a single milestone");
        assertThrows(IllegalArgumentException.class, () -> new MultiStepLr(1e-4, List.of(4, 2), 0.5));
    }

    @Test
    void updatesEqualTorchWithAParameterReleasedLate() {
        for (String wd : List.of("0.0", "0.1")) {
            try (NDManager m = NDManager.newBaseManager()) {
                Map<String, Parameter> params = new LinkedHashMap<>();
                params.put("a", parameter(m, "a", "wd" + wd + "/a_0"));
                params.put("b", parameter(m, "b", "wd" + wd + "/b_0"));
                Adam adam = new Adam(Adam.Settings.PYTORCH.withWeightDecay(Double.parseDouble(wd)));
                for (int step = 1; step <= STEPS; step++) {
                    // b has no gradient (frozen) for the first FROZEN steps
                    Map<String, Parameter> trainable = new LinkedHashMap<>(params);
                    if (step - 1 < FROZEN) {
                        trainable.remove("b");
                    }
                    Map<String, float[]> grads = new LinkedHashMap<>();
                    for (String name : params.keySet()) {
                        grads.put(name, Fixtures.npz(NPZ).tensors().get("wd" + wd + "/grad_" + name + "_" + step)
                                .values());
                    }
                    setGradients(m, trainable, grads);
                    adam.step(trainable, SCHEDULE.rate(step - 1));
                    for (String name : params.keySet()) {
                        NDArray expected = Fixtures.array(m, NPZ, "wd" + wd + "/" + name + "_" + step);
                        Fixtures.assertClose(params.get(name).getArray(), expected, 2e-7,
                                "wd " + wd + ", " + name + " after step " + step);
                    }
                }
            }
        }
    }

    @Test
    void stateRoundTripsThroughACheckpoint() {
        try (NDManager m = NDManager.newBaseManager()) {
            Map<String, Parameter> params = new LinkedHashMap<>();
            params.put("a", parameter(m, "a", "wd0.0/a_0"));
            setGradients(m, params, Map.of("a", Fixtures.npz(NPZ).tensors().get("wd0.0/grad_a_1").values()));
            Adam adam = new Adam(Adam.Settings.PYTORCH);
            adam.step(params, 1e-2);
            Adam.State saved = adam.state();
            Adam restored = new Adam(Adam.Settings.PYTORCH);
            restored.restore(saved, params);
            assertEquals(saved.steps(), restored.state().steps());
            assertEquals(1, restored.state().steps().get("a"));
            org.junit.jupiter.api.Assertions.assertArrayEquals(saved.variances().get("a").values(),
                    restored.state().variances().get("a").values());
            assertThrows(IllegalArgumentException.class, () -> restored.restore(saved, Map.of()));
        }
    }

    /** Makes each trainable parameter's gradient the given values: backward of Σ w·g. */
    static void setGradients(NDManager m, Map<String, Parameter> params, Map<String, float[]> grads) {
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.zeroGradients();
            NDArray total = m.zeros(new Shape());
            for (Map.Entry<String, Parameter> e : params.entrySet()) {
                NDArray w = e.getValue().getArray();
                total = total.add(w.mul(m.create(grads.get(e.getKey()), w.getShape())).sum());
            }
            gc.backward(total);
        }
    }

    private static Parameter parameter(NDManager m, String name, String key) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
        NDArray a = Fixtures.array(m, NPZ, key);
        p.setArray(a);
        a.setRequiresGradient(true);
        return p;
    }
}
