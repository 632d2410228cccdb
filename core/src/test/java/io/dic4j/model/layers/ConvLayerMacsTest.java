package io.dic4j.model.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.dic4j.model.DicNet;
import io.dic4j.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** The MAC count the benchmark reports, against hand-computed values. */
class ConvLayerMacsTest {

    @Test
    void convAndTransposedConvMacs() {
        try (NDManager m = NDManager.newBaseManager()) {
            // 3x3, 4 -> 6 channels, stride 1, padding 1, on 2x4x10x10: 2·6·10·10 outputs × 4·9
            ConvLayer conv = ConvLayer.builder(4, 6, 3).optPadding(1).build();
            conv.initialize(m, DataType.FLOAT32, new Shape(2, 4, 10, 10));
            long macs = ConvLayer.countMacs(() -> conv.forward(new ParameterStore(m, false),
                    new NDList(m.ones(new Shape(2, 4, 10, 10))), false));
            assertEquals(2L * 6 * 10 * 10 * 4 * 9, macs);
            // grouped 1x1 stride 2: 8 -> 8 channels in 4 groups on 1x8x6x6: 1·8·3·3 outputs × 2·1
            ConvLayer grouped = ConvLayer.builder(8, 8, 1).optStride(2).optGroups(4).build();
            grouped.initialize(m, DataType.FLOAT32, new Shape(1, 8, 6, 6));
            assertEquals(8L * 3 * 3 * 2, ConvLayer.countMacs(() -> grouped.forward(new ParameterStore(m, false),
                    new NDList(m.ones(new Shape(1, 8, 6, 6))), false)));
            // transposed 8x8 stride 4, 3 -> 5 channels on 1x3x4x4: every input pixel × 5·64
            ConvLayer up = ConvLayer.builder(3, 5, 8).optStride(4).optPadding(2).optTransposed(true).build();
            up.initialize(m, DataType.FLOAT32, new Shape(1, 3, 4, 4));
            assertEquals(3L * 4 * 4 * 5 * 64, ConvLayer.countMacs(() -> up.forward(new ParameterStore(m, false),
                    new NDList(m.ones(new Shape(1, 3, 4, 4))), false)));
            // the same pair in the phase layout counts the image's MACs, not those of its per-part convs: the
            // down conv 5 -> 3 reads the 16x16 image behind the phases, 1·3·4·4 outputs × 5·64
            ConvLayer upPhases = ConvLayer.builder(3, 5, 8).optStride(4).optPadding(2).optTransposed(true)
                    .optPhaseLayout(true).build();
            ConvLayer downPhases = ConvLayer.builder(5, 3, 8).optStride(4).optPadding(2).optPhaseLayout(true).build();
            upPhases.initialize(m, DataType.FLOAT32, new Shape(1, 3, 4, 4));
            Shape[] phases = upPhases.getOutputShapes(new Shape[] {new Shape(1, 3, 4, 4)});
            downPhases.initialize(m, DataType.FLOAT32, phases);
            assertEquals(2L * 3 * 4 * 4 * 5 * 64, ConvLayer.countMacs(() -> {
                ParameterStore ps = new ParameterStore(m, false);
                NDList hr = upPhases.forward(ps, new NDList(m.ones(new Shape(1, 3, 4, 4))), false);
                assertArrayEquals(phases, hr.getShapes());
                downPhases.forward(ps, hr, false);
            }));
            // nothing is counted outside countMacs
            assertEquals(0, ConvLayer.countMacs(() -> { }));
        }
    }

    @Test
    void theSmallDicCountsTheSameForEveryFaceInABatch() {
        try (NDManager m = NDManager.newBaseManager()) {
            DicNet net = DicNet.builder().setConfig(Fixtures.SMALL).build();
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 16, 16));
            long one = ConvLayer.countMacs(() -> net.forward(new ParameterStore(m, false),
                    new NDList(m.zeros(new Shape(1, 3, 16, 16))), false));
            long three = ConvLayer.countMacs(() -> net.forward(new ParameterStore(m, false),
                    new NDList(m.zeros(new Shape(3, 3, 16, 16))), false));
            assertEquals(3 * one, three);
            assertEquals(1.19e9, one, 0.01e9, "the small DIC's forward");
        }
    }
}
