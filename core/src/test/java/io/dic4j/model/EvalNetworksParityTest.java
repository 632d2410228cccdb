package io.dic4j.model;

import static io.dic4j.testing.Fixtures.array;
import static io.dic4j.testing.Fixtures.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dic4j.testing.Fixtures;
import io.dic4j.weights.StateDict;
import io.dic4j.weights.StateDictNames;
import io.dic4j.weights.Tensor;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * LightCNN-9 and the stacked hourglass with the reference's weights compute the reference's outputs
 * ({@code eval_networks.npz}), in inference mode; their names and shapes are the reference's.
 */
class EvalNetworksParityTest {

    static final String NPZ = "eval_networks.npz";
    static final double TOLERANCE = 1e-5;
    static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    static <T extends Block> T load(T net, String prefix, Shape input) {
        net.initialize(manager, DataType.FLOAT32, input);
        Fixtures.npz(NPZ).under(prefix).loadInto(net);
        return net;
    }

    @Test
    void lightCnnFeaturesAndLogitsMatchTheReference() {
        Shape input = new Shape(2, 3, 128, 128);
        LightCnn discriminator = load(LightCnn.discriminator(), "lightcnn.", input);
        LightCnn extractor = LightCnn.featureExtractor();
        extractor.initialize(manager, DataType.FLOAT32, input);
        // the feature extractor loads the discriminator's feature weights (what LightCNN_feature.pth holds)
        Fixtures.npz(NPZ).under("lightcnn.").only(StateDictNames.torchNames(extractor).keySet())
                .loadInto(extractor);
        try (NDManager m = manager.newSubManager()) {
            NDArray x = array(m, NPZ, "lightcnn_input");
            NDArray features = extractor.forward(new ParameterStore(m, false), new NDList(x), false).head();
            NDArray logits = discriminator.forward(new ParameterStore(m, false), new NDList(x), false).head();
            double df = maxAbsDiff(features, array(m, NPZ, "lightcnn_features"));
            double dl = maxAbsDiff(logits, array(m, NPZ, "lightcnn_logits"));
            System.out.printf("LightCNN: features max diff %.3g, logits max diff %.3g%n", df, dl);
            assertTrue(df <= TOLERANCE, "features differ by " + df);
            assertTrue(dl <= TOLERANCE, "logits differ by " + dl);
        }
    }

    @Test
    void stackedHourglassHeatmapsMatchTheReference() {
        StackedHourglass net = load(StackedHourglass.builder().setFeatures(32).setStacks(4).setKeypoints(68).build(),
                "stackedhg.", new Shape(2, 3, 128, 128));
        try (NDManager m = manager.newSubManager()) {
            NDArray x = array(m, NPZ, "stackedhg_input");
            NDList out = net.forward(new ParameterStore(m, false), new NDList(x), false);
            StackedHourglass.Output o = StackedHourglass.Output.of(out, 4);
            double d = maxAbsDiff(o.prediction(), array(m, NPZ, "stackedhg_heatmap"));
            System.out.printf("StackedHourglass: final heatmap max diff %.3g%n", d);
            assertTrue(d <= TOLERANCE, "heatmaps differ by " + d);

            // 'mean' connection: this pass's own hidden terms as the earlier pass's give the same heatmaps
            NDList again = new NDList(x);
            again.addAll(o.hidden());
            NDArray withHidden = net.forward(new ParameterStore(m, false), again, false).get(3);
            assertTrue(maxAbsDiff(withHidden, o.prediction()) <= 1e-6, "mean of equal hidden terms changed the output");
        }
    }

    @Test
    void paperStackedHourglassHasTheReferenceNamesAndShapes() throws IOException {
        JsonNode keys = new ObjectMapper().readTree(Fixtures.path("eval_networks.json").toFile()).get("keys");
        for (String family : new String[] {"stackedhg_paper", "stackedhg_w32", "lightcnn"}) {
            Block net = switch (family) {
                case "lightcnn" -> LightCnn.discriminator();
                case "stackedhg_w32" -> StackedHourglass.builder().setFeatures(32).setStacks(4).setKeypoints(68).build();
                default -> StackedHourglass.builder().setFeatures(256).setStacks(4).setKeypoints(68).build();
            };
            try (NDManager m = manager.newSubManager()) {
                net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 128, 128));
                Map<String, String> ours = new LinkedHashMap<>();
                for (Map.Entry<String, Parameter> e : StateDictNames.torchNames(net).entrySet()) {
                    ours.put(e.getKey(), Tensor.shapeString(e.getValue().getArray().getShape().getShape()));
                }
                Map<String, String> reference = new LinkedHashMap<>();
                for (JsonNode k : keys.get(family)) {
                    long[] shape = new long[k.get(1).size()];
                    for (int i = 0; i < shape.length; i++) {
                        shape[i] = k.get(1).get(i).asLong();
                    }
                    reference.put(k.get(0).asText(), Tensor.shapeString(shape));
                }
                assertEquals(reference, ours, family);
                assertEquals(StateDictNames.ourNames(net).size(), ours.size(), "one PyTorch name per parameter");
            }
        }
    }
}
