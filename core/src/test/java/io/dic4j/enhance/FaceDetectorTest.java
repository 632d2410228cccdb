package io.dic4j.enhance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dic4j.image.Images;
import io.dic4j.image.PilResize;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaceDetectorTest {

    /**
     * The astronaut's eye centres (midway between the corners) in astronaut_hr.png's continuous pixels, read off the
     * image at 4× by hand: the built-in DIC's own landmarks are too rough to judge a detector by.
     */
    private static final double[][] EYES = {{43.5, 39}, {91, 41}};

    /** The astronaut's 128×128 crop resized to {@code size} and pasted at (x, y) on a grey canvas. */
    static BufferedImage photo(int width, int height, int size, int x, int y) throws Exception {
        BufferedImage face = PilResize.resize(Images.readRgb(Path.of("examples/astronaut_hr.png")), size, size);
        BufferedImage canvas = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = canvas.createGraphics();
        g.setColor(new Color(120, 120, 120));
        g.fillRect(0, 0, width, height);
        g.drawImage(face, x, y, null);
        g.dispose();
        return canvas;
    }

    private static void assertFindsTheAstronaut(FaceDetector detector, int size, int x, int y, int w, int h)
            throws Exception {
        List<Detection> faces = detector.detect(photo(w, h, size, x, y), FaceDetector.DEFAULT_MIN_SCORE);
        assertEquals(1, faces.size(), size + " px crop: " + faces);
        Detection d = faces.get(0);
        double s = size / 128.0;
        // an eye within 15 % of the crop's side, 40 % of the distance between the eyes: at 16 px the detector's
        // keypoints spread by 2 px
        for (int e = 0; e < 2; e++) {
            double dx = d.keypoints()[e][0] - (x + EYES[e][0] * s);
            double dy = d.keypoints()[e][1] - (y + EYES[e][1] * s);
            assertTrue(Math.hypot(dx, dy) < 0.15 * size, size + " px crop, eye " + e + " off by (" + dx + ", " + dy
                    + ")");
        }
    }

    @Test
    void findsALargeFaceWithItsEyes() throws Exception {
        try (FaceDetector detector = FaceDetector.builtIn()) {
            assertFindsTheAstronaut(detector, 128, 70, 30, 256, 200);
        }
    }

    @Test
    void findsFacesOf16And24PixelsInAPhoto() throws Exception {
        try (FaceDetector detector = FaceDetector.builtIn()) {
            assertFindsTheAstronaut(detector, 16, 40, 21, 100, 70);
            assertFindsTheAstronaut(detector, 24, 130, 9, 160, 90);
        }
    }

    @Test
    void findsNothingInAnEmptyPhoto() throws Exception {
        try (FaceDetector detector = FaceDetector.builtIn()) {
            BufferedImage blank = new BufferedImage(200, 150, BufferedImage.TYPE_INT_RGB);
            assertEquals(List.of(), detector.detect(blank, FaceDetector.DEFAULT_MIN_SCORE));
        }
    }
}
