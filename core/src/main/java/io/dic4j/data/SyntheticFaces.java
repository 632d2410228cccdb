package io.dic4j.data;

import io.dic4j.image.Images;
import io.dic4j.util.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Seeded cartoon faces drawn with Java2D at known 68-point iBUG landmarks: face outline, brows, eyes with irises,
 * nose, lips. Shape, pose (small roll), size, colours and lighting vary with the seed. For tests and demos that
 * must not depend on real photos; the same seed always draws the same face.
 */
public final class SyntheticFaces {

    /** A drawn face and its 68 landmarks (0-based pixel coordinates). */
    public record Face(BufferedImage image, double[][] landmarks) {}

    private static final int POINTS = 68;

    private SyntheticFaces() {}

    /** Draws the face of {@code seed} on a {@code size × size} canvas. */
    public static Face draw(long seed, int size) {
        Random r = new Random(seed);
        double[][] unit = shape(r);
        // pose: the face's half-width is about 30% of the canvas; small roll and shift
        double scale = size * (0.26 + 0.06 * r.nextDouble());
        double roll = Math.toRadians(-10 + 20 * r.nextDouble());
        double cx = size * (0.5 + 0.05 * (r.nextDouble() - 0.5));
        double cy = size * (0.52 + 0.05 * (r.nextDouble() - 0.5));
        double[][] points = new double[POINTS][];
        for (int i = 0; i < POINTS; i++) {
            points[i] = offset(new double[] {cx, cy}, roll, unit[i][0] * scale, unit[i][1] * scale);
        }
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        Color background = new Color(r.nextInt(200), r.nextInt(200), r.nextInt(200));
        g.setPaint(new GradientPaint(0, 0, background, size, size, background.darker()));
        g.fillRect(0, 0, size, size);

        Color skin = skin(r);
        Color hair = new Color(20 + r.nextInt(90), 10 + r.nextInt(60), r.nextInt(40));
        // hair: an ellipse behind the upper head
        double headW = dist(points[0], points[16]);
        g.setColor(hair);
        g.fill(ellipse(mid(points[0], points[16]), headW * 0.6, headW * 0.55, roll, 0, -0.25 * headW));
        // face: jaw contour closed over the forehead; lit from one side
        Path2D face = polyline(points, 0, 16, false);
        double[] top = offset(mid(points[19], points[24]), roll, 0, -0.35 * headW);
        double[] right = offset(points[16], roll, 0, -0.3 * headW);
        double[] left = offset(points[0], roll, 0, -0.3 * headW);
        face.quadTo(right[0], right[1], top[0], top[1]);
        face.quadTo(left[0], left[1], points[0][0], points[0][1]);
        face.closePath();
        boolean lightFromLeft = r.nextBoolean();
        float light = 0.55f + 0.35f * r.nextFloat();
        Color lit = scaleColor(skin, 1.1f);
        Color shade = scaleColor(skin, light);
        g.setPaint(new GradientPaint((float) points[0][0], 0, lightFromLeft ? lit : shade,
                (float) points[16][0], 0, lightFromLeft ? shade : lit));
        g.fill(face);

        float line = (float) Math.max(1.0, scale * 0.04);
        Color dark = scaleColor(skin, 0.45f);
        // brows
        g.setColor(hair.darker());
        g.setStroke(new BasicStroke(line * 1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(polyline(points, 17, 21, false));
        g.draw(polyline(points, 22, 26, false));
        // eyes: white, iris, outline
        Color iris = new Color(30 + r.nextInt(100), 30 + r.nextInt(80), 20 + r.nextInt(60));
        for (int first : new int[] {36, 42}) {
            Path2D eye = polyline(points, first, first + 5, true);
            g.setColor(new Color(235, 235, 230));
            g.fill(eye);
            double[] c = mid(points[first], points[first + 3]);
            double rad = dist(points[first], points[first + 3]) * 0.22;
            g.setClip(eye);
            g.setColor(iris);
            g.fill(new Ellipse2D.Double(c[0] - rad, c[1] - rad, 2 * rad, 2 * rad));
            g.setColor(Color.BLACK);
            g.fill(new Ellipse2D.Double(c[0] - rad / 2, c[1] - rad / 2, rad, rad));
            g.setClip(null);
            g.setColor(dark);
            g.setStroke(new BasicStroke(line * 0.7f));
            g.draw(eye);
        }
        // nose: bridge and nostrils
        g.setColor(dark);
        g.setStroke(new BasicStroke(line * 0.8f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(polyline(points, 27, 30, false));
        g.draw(polyline(points, 31, 35, false));
        // lips and the open mouth
        g.setColor(new Color(150 + r.nextInt(70), 50 + r.nextInt(40), 50 + r.nextInt(40)));
        g.fill(polyline(points, 48, 59, true));
        g.setColor(new Color(60, 20, 25));
        g.fill(polyline(points, 60, 67, true));
        g.dispose();
        return new Face(img, points);
    }

    /**
     * Writes {@code count} faces as {@code face_NNNN.png} with 300-W {@code .pts} files and a {@code bboxes.csv}
     * (boxes by {@link FaceBox#around}), and opens them as a dataset.
     */
    public static FaceDataset write(Path dir, int count, long seed, int size) throws IOException {
        Files.createDirectories(dir);
        StringBuilder csv = new StringBuilder(PtsReader.CSV_HEADER).append('\n');
        for (int i = 0; i < count; i++) {
            Face face = draw(seed * 1_000_003L + i, size);
            String name = String.format("face_%04d", i);
            Images.writePng(face.image(), dir.resolve(name + ".png"));
            LandmarkFiles.writePts(dir.resolve(name + ".pts"), face.landmarks());
            FaceBox box = FaceBox.around(face.landmarks());
            csv.append(String.format("%s.png,%d,%d,%d,%d%n", name, box.xmin(), box.ymin(), box.xmax(), box.ymax()));
        }
        Path csvFile = dir.resolve("bboxes.csv");
        AtomicFiles.write(csvFile, out -> out.write(csv.toString().getBytes(StandardCharsets.UTF_8)));
        return FaceDataset.open(csvFile, dir);
    }

    /** A varied 68-point shape in face units: origin between the eyes' level and the nose, half-width ≈ 1. */
    private static double[][] shape(Random r) {
        double[][] p = new double[POINTS][];
        double width = 0.85 + 0.15 * r.nextDouble();
        double chin = 0.9 + 0.2 * r.nextDouble();
        double earY = -0.1 + 0.1 * r.nextDouble();
        for (int i = 0; i <= 16; i++) {
            double a = Math.PI * i / 16;
            p[i] = new double[] {-Math.cos(a) * width, earY + Math.sin(a) * (chin - earY)};
        }
        double browY = -0.5 + 0.1 * r.nextDouble();
        for (int i = 0; i < 5; i++) {
            double x = 0.15 + 0.6 * (4 - i) / 4;
            double y = browY - 0.08 * Math.sin(Math.PI * (i + 0.5) / 5);
            p[17 + i] = new double[] {-x, y};
            p[26 - i] = new double[] {x, y};
        }
        double noseEnd = 0.1 + 0.08 * r.nextDouble();
        for (int i = 0; i < 4; i++) {
            p[27 + i] = new double[] {0, -0.3 + (noseEnd + 0.3) * i / 3};
        }
        double nostril = 0.14 + 0.08 * r.nextDouble();
        for (int i = 0; i < 5; i++) {
            double t = (i - 2) / 2.0;
            p[31 + i] = new double[] {t * nostril, noseEnd + 0.1 - 0.04 * t * t};
        }
        double eyeX = 0.33 + 0.1 * r.nextDouble();
        double eyeY = -0.22 + 0.06 * (r.nextDouble() - 0.5);
        double eyeW = 0.13 + 0.05 * r.nextDouble();
        double eyeH = eyeW * (0.3 + 0.2 * r.nextDouble());
        // 36 outer, 37-38 upper, 39 inner, 40-41 lower; 42 inner, 43-44 upper, 45 outer, 46-47 lower
        double[][] eye = {{-1, 0}, {-1 / 3.0, -1}, {1 / 3.0, -1}, {1, 0}, {1 / 3.0, 1}, {-1 / 3.0, 1}};
        for (int i = 0; i < 6; i++) {
            p[36 + i] = new double[] {-eyeX + eye[i][0] * eyeW, eyeY + eye[i][1] * eyeH};
            p[42 + i] = new double[] {eyeX + eye[i][0] * eyeW, eyeY + eye[i][1] * eyeH};
        }
        double mouthY = 0.45 + 0.1 * r.nextDouble();
        double mouthW = 0.3 + 0.12 * r.nextDouble();
        double upper = 0.08 + 0.04 * r.nextDouble();
        double lower = 0.1 + 0.05 * r.nextDouble();
        double open = 0.03 * r.nextDouble();
        for (int j = 0; j <= 6; j++) {
            double t = Math.PI * j / 6;
            p[48 + j] = new double[] {-Math.cos(t) * mouthW, mouthY - Math.sin(t) * upper};
        }
        for (int j = 1; j <= 5; j++) {
            double t = Math.PI * j / 6;
            p[54 + j] = new double[] {Math.cos(t) * mouthW, mouthY + Math.sin(t) * lower};
        }
        double inner = mouthW * 0.75;
        for (int j = 0; j <= 4; j++) {
            double t = Math.PI * j / 4;
            p[60 + j] = new double[] {-Math.cos(t) * inner, mouthY - Math.sin(t) * (0.01 + open)};
        }
        for (int j = 1; j <= 3; j++) {
            double t = Math.PI * j / 4;
            p[64 + j] = new double[] {Math.cos(t) * inner, mouthY + Math.sin(t) * (0.01 + open)};
        }
        return p;
    }

    private static Color skin(Random r) {
        float t = r.nextFloat();
        return new Color((int) (250 - 130 * t), (int) (215 - 130 * t), (int) (185 - 120 * t));
    }

    private static Color scaleColor(Color c, float f) {
        return new Color(Math.min(255, (int) (c.getRed() * f)), Math.min(255, (int) (c.getGreen() * f)),
                Math.min(255, (int) (c.getBlue() * f)));
    }

    private static Path2D polyline(double[][] p, int first, int last, boolean closed) {
        Path2D path = new Path2D.Double();
        path.moveTo(p[first][0], p[first][1]);
        for (int i = first + 1; i <= last; i++) {
            path.lineTo(p[i][0], p[i][1]);
        }
        if (closed) {
            path.closePath();
        }
        return path;
    }

    private static double[] mid(double[] a, double[] b) {
        return new double[] {(a[0] + b[0]) / 2, (a[1] + b[1]) / 2};
    }

    private static double dist(double[] a, double[] b) {
        return Math.hypot(a[0] - b[0], a[1] - b[1]);
    }

    /** {@code c} moved by (dx, dy) in the face's rotated frame. */
    private static double[] offset(double[] c, double roll, double dx, double dy) {
        return new double[] {c[0] + Math.cos(roll) * dx - Math.sin(roll) * dy,
            c[1] + Math.sin(roll) * dx + Math.cos(roll) * dy};
    }

    private static Ellipse2D ellipse(double[] c, double rx, double ry, double roll, double dx, double dy) {
        double[] o = offset(c, roll, dx, dy);
        return new Ellipse2D.Double(o[0] - rx, o[1] - ry, 2 * rx, 2 * ry);
    }
}
