package io.dic4j.model.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.dic4j.model.DicConfig;
import io.dic4j.model.DicNet;
import io.dic4j.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** The MAC count the benchmark reports, from the blocks and their shapes, against hand-computed values. */
class ConvLayerMacsTest {

    @Test
    void convAndTransposedConvMacs() {
        // 3x3, 4 -> 6 channels, stride 1, padding 1, on 2x4x10x10: 2·6·10·10 outputs × 4·9
        ConvLayer conv = ConvLayer.builder(4, 6, 3).optPadding(1).build();
        assertEquals(2L * 6 * 10 * 10 * 4 * 9, conv.macs(new Shape(2, 4, 10, 10)));
        // grouped 1x1 stride 2: 8 -> 8 channels in 4 groups on 1x8x6x6: 1·8·3·3 outputs × 2·1
        ConvLayer grouped = ConvLayer.builder(8, 8, 1).optStride(2).optGroups(4).build();
        assertEquals(8L * 3 * 3 * 2, grouped.macs(new Shape(1, 8, 6, 6)));
        // transposed 8x8 stride 4, 3 -> 5 channels on 1x3x4x4: every input pixel × 5·64
        ConvLayer up = ConvLayer.builder(3, 5, 8).optStride(4).optPadding(2).optTransposed(true).build();
        assertEquals(3L * 4 * 4 * 5 * 64, up.macs(new Shape(1, 3, 4, 4)));
    }

    @Test
    void thePhaseLayoutCountsTheImagesMacsNotThoseOfItsParts() {
        try (NDManager m = NDManager.newBaseManager()) {
            // the down conv 5 -> 3 reads the 16x16 image behind the phases: 1·3·4·4 outputs × 5·64
            Shape in = new Shape(1, 3, 4, 4);
            ConvLayer up = ConvLayer.builder(3, 5, 8).optStride(4).optPadding(2).optTransposed(true)
                    .optPhaseLayout(true).build();
            ConvLayer down = ConvLayer.builder(5, 3, 8).optStride(4).optPadding(2).optPhaseLayout(true).build();
            up.initialize(m, DataType.FLOAT32, in);
            Shape[] phases = up.getOutputShapes(new Shape[] {in});
            // the shapes the count walks are those the forward makes
            assertArrayEquals(phases, up.forward(new ParameterStore(m, false), new NDList(m.ones(in)), false)
                    .getShapes());
            assertEquals(2L * 3 * 4 * 4 * 5 * 64, up.macs(in) + down.macs(phases[0]));
        }
    }

    @Test
    void dicCountsTheSameForEveryFaceInABatch() {
        DicNet small = DicNet.builder().setConfig(Fixtures.SMALL).build();
        long one = small.macs(new Shape(1, 3, 16, 16));
        assertEquals(3 * one, small.macs(new Shape(3, 3, 16, 16)));
        assertEquals(1.19e9, one, 0.01e9, "the small DIC's forward");
        // what the harness reported when each conv layer counted its MACs as it ran (docs/performance.md)
        DicNet paper = DicNet.builder().setConfig(DicConfig.PAPER).build();
        assertEquals(45.72e9, paper.macs(new Shape(1, 3, 16, 16)), 0.005e9, "the paper's DIC");
    }
}
