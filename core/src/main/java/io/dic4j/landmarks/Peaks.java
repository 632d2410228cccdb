package io.dic4j.landmarks;

/**
 * Landmark positions from heatmaps, in image pixels. Heatmap cell (i, j) stands for image pixel (j·scale, i·scale):
 * the reference makes its targets at point / scale with no half-pixel offset, so a point is read back the same way.
 */
public final class Peaks {

    /** How a heatmap's peak becomes a point. */
    public enum Decoding {
        /** The arg-max cell × scale (the reference's training-time decoding). */
        ARGMAX,
        /**
         * The reference's evaluation script: the arg-max cell × scale, then moved by one image pixel in x and in y
         * toward the second-highest cell (by −1 where they are level).
         */
        REFERENCE_SHIFT,
        /**
         * The arg-max cell refined to a fraction of a cell: per axis, the vertex of the parabola through the peak and
         * its two neighbours (at most half a cell away; none at the map's edge or where the three are level), × scale.
         * What users get: arg-max alone snaps every point to the 4-pixel grid of DIC's 32×32 maps.
         */
        SUBPIXEL
    }

    private Peaks() {}

    /** {@link Decoding#ARGMAX} peaks. */
    public static float[][] argmax(float[] heatmaps, int k, int h, int w, float scale) {
        return decode(heatmaps, k, h, w, scale, Decoding.ARGMAX);
    }

    /**
     * @param heatmaps one sample's K maps, row-major (K, h, w)
     * @param scale image pixels per heatmap cell (4 for DIC: 32×32 maps of a 128×128 image)
     * @return K (x, y) pairs in image pixels; ties go to the first cell in row-major order
     */
    public static float[][] decode(float[] heatmaps, int k, int h, int w, float scale, Decoding decoding) {
        float[][] points = new float[k][2];
        int cells = h * w;
        for (int c = 0; c < k; c++) {
            int base = c * cells;
            int best = 0;
            int second = -1;
            for (int i = 1; i < cells; i++) {
                float v = heatmaps[base + i];
                if (v > heatmaps[base + best]) {
                    second = best;
                    best = i;
                } else if (second < 0 || v > heatmaps[base + second]) {
                    second = i;
                }
            }
            if (second < 0) {
                second = best;
            }
            int bx = best % w;
            int by = best / w;
            points[c][0] = bx * scale;
            points[c][1] = by * scale;
            if (decoding == Decoding.SUBPIXEL) {
                points[c][0] += scale * vertex(heatmaps, base + best, bx, w, 1);
                points[c][1] += scale * vertex(heatmaps, base + best, by, h, w);
            } else if (decoding == Decoding.REFERENCE_SHIFT) {
                points[c][0] += second % w > best % w ? 1 : -1;
                points[c][1] += second / w > best / w ? 1 : -1;
            }
        }
        return points;
    }

    /**
     * The offset, in cells, of the vertex of the parabola through the values at {@code at − step}, {@code at},
     * {@code at + step} (neighbours along one axis, {@code index} of {@code size} on it), within ±½.
     */
    private static float vertex(float[] maps, int at, int index, int size, int step) {
        if (index == 0 || index == size - 1) {
            return 0f;
        }
        float before = maps[at - step];
        float peak = maps[at];
        float after = maps[at + step];
        float curvature = before - 2 * peak + after;
        if (!(curvature < 0)) {
            return 0f;
        }
        float offset = 0.5f * (before - after) / curvature;
        return Math.max(-0.5f, Math.min(0.5f, offset));
    }
}
