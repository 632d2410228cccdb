package io.dic4j.model.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class BFloat16Test {

    @Test
    void castsRoundToEightBitsOfMantissaAndBack() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1f, -2.5f, 3.14159265f, 1e-3f, 65504f});
            NDArray bf = BFloat16.of(x);
            assertTrue(BFloat16.is(bf));
            assertFalse(BFloat16.is(x));
            // round to nearest even at 8 significant bits: π → 3.140625, 1e-3 → 0.00099945068359375
            assertArrayEquals(new float[] {1f, -2.5f, 3.140625f, 0.00099945068359375f, 65536f},
                    BFloat16.toFloat32(bf).toFloatArray());
            assertTrue(BFloat16.of(bf) == bf, "already bfloat16: itself");
            assertTrue(BFloat16.toFloat32(x) == x, "already float32: itself");
        }
    }

    @Test
    void zerosMayBeWrittenInPlace() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray buffer = BFloat16.zeros(m, new Shape(2, 3));
            assertTrue(BFloat16.is(buffer));
            buffer.set(new NDIndex("1, :"), BFloat16.of(m.create(new float[] {1f, 2f, 3f})));
            assertArrayEquals(new float[] {0, 0, 0, 1, 2, 3}, BFloat16.toFloat32(buffer).toFloatArray());
        }
    }
}
