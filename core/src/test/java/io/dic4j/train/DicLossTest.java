package io.dic4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.junit.jupiter.api.Test;

class DicLossTest {

    static final float[] TARGET = {0f, 0.25f, 1f, 0.5f};
    static final float[] OUTPUT = {0.5f, 0f, 0.5f, -0.5f};

    @Test
    void aForegroundWeightWeighsEachElementByItsTarget() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray target = m.create(TARGET, new Shape(1, 4));
            NDArray output = m.create(OUTPUT, new Shape(1, 4));
            // weights 1 + 9·t: 1, 3.25, 10, 5.5; squared errors 0.25, 0.0625, 0.25, 1
            double expected = 0.1 * (0.25 * 1 + 0.0625 * 3.25 + 0.25 * 10 + 1 * 5.5) / 4;
            DicLoss.Term weighted = new DicLoss.Term(DicLoss.Kind.L2, 0.1, 10);
            assertEquals(expected, weighted.of(output, target).getFloat(), 1e-7);
            // summed over steps, as the align term sums the hourglass's steps
            assertEquals(2 * expected, weighted.sum(List.of(output, output), target).getFloat(), 1e-7);
            // a weight of 1 is the reference's plain mean
            double plain = 0.1 * (0.25 + 0.0625 + 0.25 + 1) / 4;
            assertEquals(plain, new DicLoss.Term(DicLoss.Kind.L2, 0.1).of(output, target).getFloat(), 1e-7);
        }
    }

    @Test
    void itsGradientIsTheWeightedDistances() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray target = m.create(TARGET, new Shape(1, 4));
            NDArray output = m.create(OUTPUT, new Shape(1, 4));
            output.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(new DicLoss.Term(DicLoss.Kind.L2, 0.1, 10).sum(List.of(output, output), target));
            }
            // d/dy of 2 steps · 0.1 · mean(w·(y − t)²) = 2 · 0.1 · 2·w·(y − t) / 4
            float[] w = {1f, 3.25f, 10f, 5.5f};
            float[] expected = new float[4];
            for (int i = 0; i < 4; i++) {
                expected[i] = (float) (2 * 0.1 * 2 * w[i] * (OUTPUT[i] - TARGET[i]) / 4);
            }
            assertArrayEquals(expected, output.getGradient().toFloatArray(), 1e-7f);
        }
    }

    @Test
    void aForegroundWeightBelowOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new DicLoss.Term(DicLoss.Kind.L2, 1, 0.5));
        assertEquals("foreground_weight must be at least 1, got 0.5", e.getMessage());
    }
}
