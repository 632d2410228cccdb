package io.dic4j.data;

/** Ground-truth landmark heatmaps as the reference makes them. */
public final class Heatmaps {

    private Heatmaps() {}

    /**
     * One Gaussian map per point on the integer grid of a {@code size × size} map:
     * {@code exp(−((x − px)² + (y − py)²) / (2σ²))} with (px, py) = point / {@code stride} (no half-pixel offset,
     * as the reference). Computed in double, stored as float, row-major (K, size, size).
     */
    public static float[] gaussian(double[][] points, int size, double stride, double sigma) {
        float[] out = new float[points.length * size * size];
        for (int k = 0; k < points.length; k++) {
            double px = points[k][0] / stride;
            double py = points[k][1] / stride;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    double d2 = (x - px) * (x - px) + (y - py) * (y - py);
                    // same operation order as the reference: d2 / 2 / σ / σ
                    out[(k * size + y) * size + x] = (float) Math.exp(-(d2 / 2.0 / sigma / sigma));
                }
            }
        }
        return out;
    }
}
