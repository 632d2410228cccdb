package io.dic4j.model.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/** Batch-norm after a conv behaves as PyTorch's BatchNorm2d (momentum 0.1, eps 1e-5), checked by hand. */
class ConvLayerBatchNormTest {

    @Test
    void trainingNormalisesByTheBatchAndUpdatesTheRunningStatistics() {
        try (NDManager m = NDManager.newBaseManager()) {
            ConvLayer layer = ConvLayer.builder(1, 1, 1).optBatchNorm(true).build();
            layer.initialize(m, DataType.FLOAT32, new Shape(1, 1, 2, 2));
            layer.getParameters().get("weight").getArray().set(new float[] {1f});
            layer.getParameters().get("bias").getArray().set(new float[] {0f});
            NDArray x = m.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));

            float[] train = forward(layer, m, x, true);
            // batch mean 2.5, biased variance 1.25 normalise; the unbiased 5/3 enters the running variance
            double sd = Math.sqrt(1.25 + 1e-5);
            assertArrayEquals(new float[] {(float) (-1.5 / sd), (float) (-0.5 / sd), (float) (0.5 / sd),
                (float) (1.5 / sd)}, train, 1e-6f);
            assertEquals(0.25f, layer.getParameters().get("runningMean").getArray().getFloat(), 1e-7f);
            assertEquals(0.9f + 0.1f * 5f / 3f, layer.getParameters().get("runningVar").getArray().getFloat(), 1e-6f);
            assertEquals(1f, layer.getParameters().get("batchesTracked").getArray().getFloat());

            float[] eval = forward(layer, m, x, false);
            double runningSd = Math.sqrt(0.9 + 0.1 * 5.0 / 3.0 + 1e-5);
            for (int i = 0; i < 4; i++) {
                assertEquals((i + 1 - 0.25) / runningSd, eval[i], 1e-6, "inference uses the running statistics");
            }
            assertEquals(1f, layer.getParameters().get("batchesTracked").getArray().getFloat(), "only training counts");
        }
    }

    private static float[] forward(ConvLayer layer, NDManager m, NDArray x, boolean training) {
        return layer.forward(new ParameterStore(m, false), new NDList(x), training).singletonOrThrow().toFloatArray();
    }
}
