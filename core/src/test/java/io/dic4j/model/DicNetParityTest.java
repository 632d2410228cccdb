package io.dic4j.model;

import static io.dic4j.testing.Fixtures.SMALL;
import static io.dic4j.testing.Fixtures.array;
import static io.dic4j.testing.Fixtures.assertClose;
import static io.dic4j.testing.Fixtures.maxAbsDiff;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.dic4j.testing.Fixtures;
import io.dic4j.weights.StateDict;
import io.dic4j.weights.StateDictNames;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The small DIC with the reference's weights computes the reference's outputs, from every weights format. */
class DicNetParityTest {

    static final double SR_TOLERANCE = 1e-5;
    static final double HEATMAP_TOLERANCE = 5e-5;
    static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    /** The small DIC with weights from a file (fixture npz files also hold inputs and outputs: skipped). */
    static DicNet loadInto(NDManager manager, StateDict weights) {
        DicNet net = DicNet.builder().setConfig(SMALL).build();
        net.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 16, 16));
        weights.only(StateDictNames.torchNames(net).keySet()).loadInto(net);
        return net;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dic_small.npz", "dic_small_state_dict.pth", "dic_small_ckp.pth",
        "dic_small_ckp_legacy_dataparallel.pth"})
    void allStepsMatchTheReference(String weightsFile) throws IOException {
        DicNet net = loadInto(manager, StateDict.read(Fixtures.path(weightsFile)));
        try (NDManager m = manager.newSubManager()) {
            NDArray input = array(m, "dic_small.npz", "input");
            NDList out = net.forward(new ParameterStore(m, false), new NDList(input), false);
            DicNet.Steps steps = DicNet.Steps.of(out);
            for (int t = 0; t < SMALL.numSteps(); t++) {
                NDArray sr = steps.sr().get(t);
                NDArray hm = steps.heatmaps().get(t);
                System.out.printf("%s step %d: SR max diff %.3g, heatmap max diff %.3g%n", weightsFile, t,
                        maxAbsDiff(sr, array(m, "dic_small.npz", "sr_" + t)),
                        maxAbsDiff(hm, array(m, "dic_small.npz", "heatmap_" + t)));
                assertClose(sr, array(m, "dic_small.npz", "sr_" + t), SR_TOLERANCE, "sr_" + t);
                assertClose(hm, array(m, "dic_small.npz", "heatmap_" + t), HEATMAP_TOLERANCE, "heatmap_" + t);
            }
        }
    }
}
