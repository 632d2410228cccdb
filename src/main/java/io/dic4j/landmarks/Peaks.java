package io.dic4j.landmarks;

/** Landmark positions from heatmaps: the arg-max cell of each map, scaled to image pixels. */
public final class Peaks {

    private Peaks() {}

    /**
     * @param heatmaps one sample's K maps, row-major (K, h, w)
     * @param scale image pixels per heatmap cell (4 for DIC: 32×32 maps of a 128×128 image)
     * @return K (x, y) pairs in image pixels
     */
    public static float[][] argmax(float[] heatmaps, int k, int h, int w, float scale) {
        float[][] points = new float[k][2];
        for (int c = 0; c < k; c++) {
            int best = 0;
            for (int i = 1; i < h * w; i++) {
                if (heatmaps[c * h * w + i] > heatmaps[c * h * w + best]) {
                    best = i;
                }
            }
            points[c][0] = (best % w) * scale;
            points[c][1] = (best / w) * scale;
        }
        return points;
    }
}
