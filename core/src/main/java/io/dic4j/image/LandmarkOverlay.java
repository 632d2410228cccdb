package io.dic4j.image;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;

/** An image enlarged (nearest neighbour, so pixels stay visible) with its landmarks drawn on it. */
public final class LandmarkOverlay {

    static final int ZOOM = 4;
    private static final float RADIUS = 3f;

    private LandmarkOverlay() {}

    /** @param points (x, y) in the image's pixels */
    public static BufferedImage draw(BufferedImage image, float[][] points) {
        int w = image.getWidth() * ZOOM;
        int h = image.getHeight() * ZOOM;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
            g.drawImage(image, 0, 0, w, h, null);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setStroke(new BasicStroke(1.5f));
            for (float[] p : points) {
                // a landmark at pixel (x, y) marks the centre of that pixel
                double cx = (p[0] + 0.5) * ZOOM;
                double cy = (p[1] + 0.5) * ZOOM;
                Ellipse2D dot = new Ellipse2D.Double(cx - RADIUS, cy - RADIUS, 2 * RADIUS, 2 * RADIUS);
                g.setColor(Color.GREEN);
                g.fill(dot);
                g.setColor(Color.BLACK);
                g.draw(dot);
            }
        } finally {
            g.dispose();
        }
        return out;
    }
}
