package io.dic4j.weights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import io.dic4j.model.DicConfig;
import io.dic4j.model.DicNet;
import io.dic4j.model.LandmarkNet;
import io.dic4j.model.layers.ConvLayer;
import io.dic4j.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The name map is total: every parameter maps, and the result is exactly the reference's key list. */
class StateDictNamesTest {

    @ParameterizedTest
    @CsvSource({"paper, full_keys.txt, 21803849", "small, small_keys.txt, 557657"})
    void namesAndShapesEqualTheReference(String preset, String keysFile, long parameterCount) throws IOException {
        DicConfig config = preset.equals("paper") ? DicConfig.PAPER : Fixtures.SMALL;
        try (NDManager m = NDManager.newBaseManager()) {
            DicNet net = DicNet.builder().setConfig(config).build();
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 16, 16));
            Map<String, String> ours = new TreeMap<>();
            long count = 0;
            for (Map.Entry<String, Parameter> e : StateDictNames.torchNames(net).entrySet()) {
                long[] shape = e.getValue().getArray().getShape().getShape();
                ours.put(e.getKey(), Tensor.shapeString(shape));
                count += new Shape(shape).size();
            }
            Map<String, String> reference = new TreeMap<>();
            for (String line : Files.readAllLines(Fixtures.path(keysFile))) {
                String[] parts = line.trim().split(" ");
                reference.put(parts[0], parts[1]);
            }
            assertEquals(reference, ours);
            assertEquals(parameterCount, count);
            assertEquals(StateDictNames.ourNames(net).size(), ours.size(), "one PyTorch name per parameter");
        }
    }

    @Test
    void theStandAloneHourglassHasTheNamesOfDicsHourglass() {
        try (NDManager m = NDManager.newBaseManager()) {
            DicConfig c = Fixtures.SMALL;
            DicNet dic = DicNet.builder().setConfig(c).build();
            LandmarkNet alone = LandmarkNet.builder().setFeatures(c.hgNumFeature()).setKeypoints(c.hgNumKeypoints())
                    .build();
            Set<String> insideDic = StateDictNames.torchNames(dic).keySet().stream()
                    .filter(k -> k.startsWith(StateDictNames.HOURGLASS_PREFIX)).collect(Collectors.toSet());
            assertEquals(insideDic, StateDictNames.torchNames(alone).keySet());
        }
    }

    @Test
    void aBlockWithoutPyTorchNamesIsRefused() {
        SequentialBlock unknown = new SequentialBlock().add(ConvLayer.builder(3, 4, 3).build());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> StateDictNames.torchNames(unknown));
        assertTrue(e.getMessage().contains("Conv in SequentialBlock"), e.getMessage());
    }
}
