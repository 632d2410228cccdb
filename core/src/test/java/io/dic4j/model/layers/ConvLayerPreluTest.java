package io.dic4j.model.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

/** PReLU after a conv: the trainable form and the inference shortcut (leaky ReLU) give the same numbers. */
class ConvLayerPreluTest {

    @Test
    void preluEqualsHandValuesWithAndWithoutASlopeGradient() {
        try (NDManager m = NDManager.newBaseManager()) {
            ConvLayer layer = ConvLayer.builder(1, 1, 1).optActivation(Activation.PRELU).build();
            layer.initialize(m, DataType.FLOAT32, new Shape(1, 1, 1, 5));
            layer.getParameters().get("weight").getArray().set(new float[] {1f});
            layer.getParameters().get("bias").getArray().set(new float[] {0f});
            layer.getParameters().get("slope").getArray().set(new float[] {0.25f});
            NDArray x = m.create(new float[] {-2f, -0.5f, 0f, 3f, -1e-3f}, new Shape(1, 1, 1, 5));
            float[] expected = {-0.5f, -0.125f, 0f, 3f, -2.5e-4f};
            float[] trainable = forward(layer, m, x);
            layer.getParameters().values().forEach(p -> p.getArray().setRequiresGradient(false));
            float[] constant = forward(layer, m, x);
            assertArrayEquals(expected, trainable, 0f);
            assertArrayEquals(trainable, constant, 0f);
        }
    }

    private static float[] forward(ConvLayer layer, NDManager m, NDArray x) {
        return layer.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow().toFloatArray();
    }
}
