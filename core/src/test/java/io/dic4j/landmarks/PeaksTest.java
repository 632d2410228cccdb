package io.dic4j.landmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dic4j.data.Heatmaps;

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

    @Test
    void subPixelPeaksFindTheTargetsPointsToAFractionOfAPixel() {
        // the GT heatmaps of points between cells, as training makes them (σ 2 cells on 32×32 for a 128×128 face)
        double[][] points = {{37.3, 52.9}, {64.0, 64.0}, {90.6, 41.2}, {12.2, 101.7}, {5.0, 122.0}};
        float[] maps = Heatmaps.gaussian(points, 32, 4, 2);
        float[][] sub = Peaks.decode(maps, points.length, 32, 32, 4f, Peaks.Decoding.SUBPIXEL);
        float[][] argmax = Peaks.argmax(maps, points.length, 32, 32, 4f);
        double worstSub = 0;
        double worstArgmax = 0;
        for (int i = 0; i < points.length; i++) {
            worstSub = Math.max(worstSub, Math.hypot(sub[i][0] - points[i][0], sub[i][1] - points[i][1]));
            worstArgmax = Math.max(worstArgmax, Math.hypot(argmax[i][0] - points[i][0], argmax[i][1] - points[i][1]));
        }
        // a parabola through a Gaussian's log would be exact; through the Gaussian it is within a quarter pixel here
        assertTrue(worstSub < 0.5, "sub-pixel error " + worstSub);
        assertTrue(worstArgmax > 1.5, "arg-max error " + worstArgmax + " (the grid's)");
        // on the grid, the peak cell itself
        assertArrayEquals(new float[] {64, 64}, sub[1], 1e-4f);
    }
}
