package io.dic4j.enhance;

import io.dic4j.image.SimilarityWarp;

/**
 * A similarity transform of the plane (rotation, uniform scale, shift, no reflection):
 * {@code (x, y) → (a·x − b·y + tx, b·x + a·y + ty)}. Immutable.
 */
public record Similarity(double a, double b, double tx, double ty) {

    /**
     * The least-squares similarity taking {@code from[i]} onto {@code to[i]} (Umeyama's closed form in 2-D): the
     * centroids map onto each other and (a, b) minimise the summed squared distances.
     */
    public static Similarity fit(double[][] from, double[][] to) {
        int n = from.length;
        if (n < 2 || to.length != n) {
            throw new IllegalArgumentException("a similarity needs two or more point pairs, got " + n + " and "
                    + to.length + " points");
        }
        double fx = 0;
        double fy = 0;
        double qx = 0;
        double qy = 0;
        for (int i = 0; i < n; i++) {
            fx += from[i][0] / n;
            fy += from[i][1] / n;
            qx += to[i][0] / n;
            qy += to[i][1] / n;
        }
        double dot = 0;
        double cross = 0;
        double norm = 0;
        for (int i = 0; i < n; i++) {
            double px = from[i][0] - fx;
            double py = from[i][1] - fy;
            double ux = to[i][0] - qx;
            double uy = to[i][1] - qy;
            dot += px * ux + py * uy;
            cross += px * uy - py * ux;
            norm += px * px + py * py;
        }
        if (norm == 0) {
            throw new IllegalArgumentException("a similarity cannot be fitted to coincident points");
        }
        double a = dot / norm;
        double b = cross / norm;
        return new Similarity(a, b, qx - a * fx + b * fy, qy - b * fx - a * fy);
    }

    public double[] apply(double x, double y) {
        return new double[] {a * x - b * y + tx, b * x + a * y + ty};
    }

    public double scale() {
        return Math.hypot(a, b);
    }

    /** Degrees, counter-clockwise on screen as {@link SimilarityWarp#rotation()} counts them. */
    public double rotation() {
        return Math.toDegrees(Math.atan2(b, a));
    }

    /**
     * The warp whose {@code size × size} patch is the square [0, size)² of this transform's domain, i.e. the patch
     * point (u, v) lands where this transform takes it.
     */
    public SimilarityWarp warp(int size) {
        double[] centre = apply(size / 2.0, size / 2.0);
        return new SimilarityWarp(centre[0], centre[1], size * scale(), rotation(), size);
    }
}
