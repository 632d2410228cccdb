package io.dic4j.data;

/**
 * A face's crop box in image pixels, {@code [xmin, xmax) × [ymin, ymax)} as the reference slices it. It may reach
 * outside the image; the outside is padded black when cropping.
 */
public record FaceBox(int xmin, int ymin, int xmax, int ymax) {

    /** Side of the box around the landmarks relative to their larger extent (the 300-W crops' rule). */
    public static final double LANDMARK_MARGIN = 1.3;
    /** How far the box is raised, relative to its side: faces' landmarks sit low in the head. */
    public static final double RAISE = 0.05;

    public FaceBox {
        if (xmax <= xmin || ymax <= ymin) {
            throw new IllegalArgumentException("empty face box [" + xmin + ", " + ymin + ", " + xmax + ", " + ymax
                    + "]: xmax must exceed xmin and ymax ymin");
        }
    }

    public int width() {
        return xmax - xmin;
    }

    public int height() {
        return ymax - ymin;
    }

    /** Whether the box overlaps a {@code width × height} image at all. */
    public boolean overlaps(int width, int height) {
        return xmin < width && ymin < height && xmax > 0 && ymax > 0;
    }

    /**
     * The square box that {@code bboxes.csv} of the 300-W data holds: {@link #LANDMARK_MARGIN}× the landmarks'
     * larger extent, centred on their bounding box and raised by {@link #RAISE} of its side.
     */
    public static FaceBox around(double[][] points) {
        double[] e = extent(points);
        double minX = e[0];
        double minY = e[1];
        double maxX = e[2];
        double maxY = e[3];
        double side = LANDMARK_MARGIN * Math.max(maxX - minX, maxY - minY);
        double cx = (minX + maxX) / 2;
        double cy = (minY + maxY) / 2 - RAISE * side;
        return new FaceBox((int) Math.rint(cx - side / 2), (int) Math.rint(cy - side / 2),
                (int) Math.rint(cx + side / 2), (int) Math.rint(cy + side / 2));
    }

    /** {minX, minY, maxX, maxY} of the points. */
    static double[] extent(double[][] points) {
        double[] e = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.NEGATIVE_INFINITY};
        for (double[] p : points) {
            e[0] = Math.min(e[0], p[0]);
            e[1] = Math.min(e[1], p[1]);
            e[2] = Math.max(e[2], p[0]);
            e[3] = Math.max(e[3], p[1]);
        }
        return e;
    }

    /** The largest square centred in a {@code width × height} image (aligned faces without a box). */
    public static FaceBox centredSquare(int width, int height) {
        int side = Math.min(width, height);
        int x = (width - side) / 2;
        int y = (height - side) / 2;
        return new FaceBox(x, y, x + side, y + side);
    }
}
