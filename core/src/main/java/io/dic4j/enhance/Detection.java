package io.dic4j.enhance;

/**
 * A face the detector found, in continuous image coordinates (pixel i spans [i, i + 1), as in
 * {@link io.dic4j.image.SimilarityWarp}).
 *
 * @param x0 the box's left edge
 * @param y0 top
 * @param x1 right
 * @param y1 bottom
 * @param score the detector's confidence, 0..1
 * @param keypoints BlazeFace's six (x, y): the subject's right eye, left eye, nose tip, mouth centre, right ear
 *     tragion, left ear tragion (so the right eye is the one on the image's left)
 */
public record Detection(double x0, double y0, double x1, double y1, double score, double[][] keypoints) {

    public static final int RIGHT_EYE = 0;
    public static final int LEFT_EYE = 1;
    public static final int NOSE_TIP = 2;
    public static final int MOUTH_CENTRE = 3;
    public static final int KEYPOINTS = 6;

    public double width() {
        return x1 - x0;
    }

    public double height() {
        return y1 - y0;
    }

    public double centreX() {
        return (x0 + x1) / 2;
    }

    public double centreY() {
        return (y0 + y1) / 2;
    }

    /** The area the two boxes share. */
    public double intersection(Detection o) {
        double w = Math.min(x1, o.x1) - Math.max(x0, o.x0);
        double h = Math.min(y1, o.y1) - Math.max(y0, o.y0);
        return w <= 0 || h <= 0 ? 0 : w * h;
    }

    /** Intersection over union of the two boxes. */
    public double iou(Detection o) {
        double inter = intersection(o);
        return inter == 0 ? 0 : inter / (width() * height() + o.width() * o.height() - inter);
    }
}
