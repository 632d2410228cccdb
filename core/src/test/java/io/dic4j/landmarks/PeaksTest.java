package io.dic4j.landmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class PeaksTest {

    @Test
    void argmaxAndTheReferenceShiftTowardTheSecondCell() {
        // two 4×4 maps: peak (x 2, y 1) with runner-up to its right and below; peak (1, 2) with runner-up up-left
        float[] maps = new float[2 * 16];
        maps[1 * 4 + 2] = 1f;
        maps[2 * 4 + 3] = 0.5f;
        maps[16 + 2 * 4 + 1] = 0.9f;
        maps[16 + 1 * 4 + 0] = 0.4f;
        float[][] argmax = Peaks.decode(maps, 2, 4, 4, 4f, Peaks.Decoding.ARGMAX);
        assertArrayEquals(new float[] {8, 4}, argmax[0]);
        assertArrayEquals(new float[] {4, 8}, argmax[1]);
        float[][] shifted = Peaks.decode(maps, 2, 4, 4, 4f, Peaks.Decoding.REFERENCE_SHIFT);
        assertArrayEquals(new float[] {9, 5}, shifted[0]);
        assertArrayEquals(new float[] {3, 7}, shifted[1]);
        // runner-up level in y: the reference moves by -1
        float[] level = new float[16];
        level[5] = 1f;
        level[6] = 0.5f;
        assertArrayEquals(new float[] {5, 3}, Peaks.decode(level, 1, 4, 4, 4f, Peaks.Decoding.REFERENCE_SHIFT)[0]);
    }
}
