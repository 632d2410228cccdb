package io.dic4j.train;

import static io.dic4j.testing.Fixtures.SMALL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.dic4j.model.DicNet;
import io.dic4j.testing.Fixtures;
import io.dic4j.weights.StateDictNames;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The loss and every listed gradient of the small DIC equal the reference's (dic_small_grads.npz). */
class DicLossGradientTest {

    static final String GRADS = "dic_small_grads.npz";

    @Test
    void lossAndGradientsEqualTheReference() {
        try (NDManager m = NDManager.newBaseManager()) {
            DicNet net = DicNet.builder().setConfig(SMALL).build();
            net.initialize(m, DataType.FLOAT32, new Shape(2, 3, 16, 16));
            Fixtures.npz("dic_small.npz").only(StateDictNames.torchNames(net).keySet()).loadInto(net);
            Map<String, Parameter> params = StateDictNames.torchNames(net);
            params.values().forEach(p -> p.getArray().setRequiresGradient(true));
            NDArray input = Fixtures.array(m, GRADS, "input");
            NDArray hr = Fixtures.array(m, GRADS, "hr");
            NDArray gt = Fixtures.array(m, GRADS, "gt_heatmap");
            TrainingTask.Losses loss;
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                DicNet.Steps out = DicNet.Steps.of(net.forward(new ParameterStore(m, false), new NDList(input), true));
                loss = DicLoss.PAPER.compute(out.sr(), hr, out.heatmaps(), gt);
                gc.backward(loss.total());
            }
            assertEquals(Fixtures.npz(GRADS).tensors().get("loss").values()[0], loss.total().getFloat(), 1e-5);
            assertEquals(Fixtures.npz(GRADS).tensors().get("loss_pix").values()[0], loss.terms().get(DicLoss.PIXEL).getFloat(), 1e-5);
            assertEquals(Fixtures.npz(GRADS).tensors().get("loss_align").values()[0], loss.terms().get(DicLoss.ALIGN).getFloat(), 1e-5);
            int checked = 0;
            double worst = 0;
            for (String key : Fixtures.npz(GRADS).tensors().keySet()) {
                if (!key.startsWith("grad:")) {
                    continue;
                }
                String name = key.substring("grad:".length());
                Parameter p = params.get(name);
                assertTrue(p != null, "no parameter " + name);
                NDArray expected = Fixtures.array(m, GRADS, key);
                NDArray actual = p.getArray().getGradient().reshape(expected.getShape());
                double rel = Fixtures.maxAbsDiff(actual, expected) / expected.abs().max().getFloat();
                worst = Math.max(worst, rel);
                assertTrue(rel <= 1e-4, name + ": max abs diff / max abs " + rel);
                checked++;
            }
            assertEquals(18, checked);
            System.out.printf("gradient parity: loss %.7f, 18 gradients, worst relative diff %.2e%n",
                    loss.total().getFloat(), worst);
        }
    }
}
