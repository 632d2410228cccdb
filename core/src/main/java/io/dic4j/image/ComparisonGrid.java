package io.dic4j.image;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/** A labelled grid of images, one row per face, every image scaled (nearest neighbour) to the same cell. */
public final class ComparisonGrid {

    private static final int HEADER = 18;
    private static final int GAP = 2;

    private ComparisonGrid() {}

    public static BufferedImage draw(List<String> headers, List<List<BufferedImage>> rows, int cell) {
        int cols = headers.size();
        int width = cols * (cell + GAP) + GAP;
        int height = HEADER + rows.size() * (cell + GAP) + GAP;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.BLACK);
        FontMetrics fm = g.getFontMetrics();
        for (int c = 0; c < cols; c++) {
            String h = headers.get(c);
            int x = GAP + c * (cell + GAP) + (cell - fm.stringWidth(h)) / 2;
            g.drawString(h, x, HEADER - 5);
        }
        // nearest neighbour: an LR face shows its pixels
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        for (int r = 0; r < rows.size(); r++) {
            List<BufferedImage> row = rows.get(r);
            if (row.size() != cols) {
                throw new IllegalArgumentException("row " + r + " has " + row.size() + " images, " + cols + " headers");
            }
            for (int c = 0; c < cols; c++) {
                if (row.get(c) != null) {
                    g.drawImage(row.get(c), GAP + c * (cell + GAP), HEADER + GAP + r * (cell + GAP), cell, cell, null);
                }
            }
        }
        g.dispose();
        return out;
    }
}
