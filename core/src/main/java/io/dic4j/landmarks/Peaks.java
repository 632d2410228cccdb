package io.dic4j.landmarks;

/** Landmark positions from heatmaps, in image pixels. */
public final class Peaks {

    /** How a heatmap's peak becomes a point. */
    public enum Decoding {
        /** The arg-max cell × scale (the reference's training-time decoding). */
        ARGMAX,
        /**
         * The reference's evaluation script: the arg-max cell × scale, then moved by one image pixel in x and in y
         * toward the second-highest cell (by −1 where they are level).
         */
        REFERENCE_SHIFT
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
            points[c][0] = (best % w) * scale;
            points[c][1] = (best / w) * scale;
            if (decoding == Decoding.REFERENCE_SHIFT) {
                points[c][0] += second % w > best % w ? 1 : -1;
                points[c][1] += second / w > best / w ? 1 : -1;
            }
        }
        return points;
    }
}
