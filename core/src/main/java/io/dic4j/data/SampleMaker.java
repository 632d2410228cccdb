package io.dic4j.data;

import io.dic4j.image.Images;
import io.dic4j.image.PilResize;
import io.dic4j.image.SimilarityWarp;
import io.dic4j.landmarks.LandmarkScheme;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Random;

/**
 * Makes a {@link FaceSample} from a {@link FaceRecord} as the reference dataset does: crop the box (black outside
 * the image), Pillow-bicubic resize to HR, Pillow-bicubic resize of that to LR, landmarks mapped into the HR
 * crop, Gaussian GT heatmaps at a quarter of the HR size. Optional augmentation: the random aspect "distort" of
 * the crop; faces cut as photos give them ({@link LrResample}: HR and LR warped out of the source instead); a
 * horizontal flip with the correct 68-point mirror (x → W − 1 − x in 0-based pixels).
 * Thread-safe; randomness comes from the caller's {@link Random}.
 */
public final class SampleMaker {

    private final SampleOptions options;

    public SampleMaker(SampleOptions options) {
        this.options = options;
    }

    public SampleOptions options() {
        return options;
    }

    /** Reads the record's image and makes its sample. */
    public FaceSample make(FaceRecord record, Random random) throws IOException {
        return make(record, Images.readRgb(record.image()), random);
    }

    /** Makes the sample of a record whose image is already decoded (8-bit RGB). */
    public FaceSample make(FaceRecord record, BufferedImage image, Random random) throws AnnotationException {
        FaceBox box = record.box() != null ? record.box() : FaceBox.centredSquare(image.getWidth(), image.getHeight());
        if (!box.overlaps(image.getWidth(), image.getHeight())) {
            throw new AnnotationException(record.image(), 0, "face box " + box + " lies outside the "
                    + image.getWidth() + "x" + image.getHeight() + " image");
        }
        if (options.distorts() && record.hasLandmarks()) {
            double ratio = options.distortMin() + random.nextDouble() * (options.distortMax() - options.distortMin());
            box = distort(box, record.landmarks(), ratio);
        }
        int size = options.hrSize();
        SimilarityWarp warp = options.lrResample() == null ? null
                : options.lrResample().draw(box, size, options.lrSize(), random);
        BufferedImage hr;
        BufferedImage lr;
        double[][] points;
        if (warp == null) {
            hr = PilResize.resize(Images.crop(image, box.xmin(), box.ymin(), box.width(), box.height()),
                    size, size);
            lr = PilResize.resize(hr, options.lrSize(), options.lrSize());
            points = record.hasLandmarks() ? mapInto(record.landmarks(), box, size) : null;
        } else {
            hr = warp.cut(image);
            lr = warp.withSize(options.lrSize()).cut(image);
            points = record.hasLandmarks() ? warp.toPatch(record.landmarks()) : null;
        }
        if (options.flip() && random.nextBoolean()) {
            hr = mirror(hr);
            lr = mirror(lr);
            points = points == null ? null : mirror(points, size);
        }
        if (options.rotate()) {
            // quarter turns counter-clockwise, each with probability ¼, as the reference draws them
            int turns = random.nextInt(4);
            for (int t = 0; t < turns; t++) {
                hr = quarterTurn(hr);
                lr = quarterTurn(lr);
                points = points == null ? null : quarterTurn(points, size);
            }
        }
        float[] heatmaps = points == null ? null
                : Heatmaps.gaussian(points, options.heatmapSize(), SampleOptions.HEATMAP_STRIDE, options.sigma());
        return new FaceSample(record.name(), hr, lr, points, heatmaps, options.heatmapSize());
    }

    /** Points of the source image in the pixels of the box resized to {@code size}². */
    static double[][] mapInto(double[][] points, FaceBox box, int size) {
        double sx = 1.0 * size / box.width();
        double sy = 1.0 * size / box.height();
        double[][] out = new double[points.length][];
        for (int i = 0; i < points.length; i++) {
            out[i] = new double[] {(points[i][0] - box.xmin()) * sx, (points[i][1] - box.ymin()) * sy};
        }
        return out;
    }

    /**
     * The reference's aspect distortion: narrows the box in y (ratio h/w below 1) or in x (above 1) around the
     * landmarks' centre, keeping every landmark inside and the box within its original extent.
     */
    static FaceBox distort(FaceBox box, double[][] points, double distortRatio) {
        if (distortRatio == 1.0) {
            return box;
        }
        double[] e = FaceBox.extent(points);
        double minX = e[0];
        double minY = e[1];
        double maxX = e[2];
        double maxY = e[3];
        double side = box.width();
        double ratio = Math.min(Math.max(distortRatio, (maxY - minY) / side), side / (maxX - minX));
        if (ratio < 1) {
            int[] y = narrow(box.ymin(), box.ymax(), (minY + maxY) / 2, side * ratio);
            return new FaceBox(box.xmin(), y[0], box.xmax(), y[1]);
        }
        int[] x = narrow(box.xmin(), box.xmax(), (minX + maxX) / 2, side / ratio);
        return new FaceBox(x[0], box.ymin(), x[1], box.ymax());
    }

    /** A window of length {@code len} centred on {@code mean}, pushed inside [lo, hi). */
    private static int[] narrow(int lo, int hi, double mean, double len) {
        if (mean - 0.5 * len < lo) {
            return new int[] {lo, lo + (int) len};
        }
        if (mean + 0.5 * len > hi) {
            return new int[] {hi - (int) len, hi};
        }
        return new int[] {(int) (mean - 0.5 * len), (int) (mean + 0.5 * len)};
    }

    static BufferedImage mirror(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(w - 1 - x, y, img.getRGB(x, y));
            }
        }
        return out;
    }

    /** Landmarks of the flipped face: mirrored coordinates, and left/right points exchanged. */
    static double[][] mirror(double[][] points, int size) {
        int[] from = LandmarkScheme.forPoints(points.length).mirror();
        double[][] out = new double[points.length][];
        for (int i = 0; i < points.length; i++) {
            double[] p = points[from[i]];
            out[i] = new double[] {size - 1 - p[0], p[1]};
        }
        return out;
    }

    /** The image turned 90° counter-clockwise (numpy's {@code rot90}, k = 1). */
    static BufferedImage quarterTurn(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        BufferedImage out = new BufferedImage(h, w, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(y, w - 1 - x, img.getRGB(x, y));
            }
        }
        return out;
    }

    /** Points of a {@code size}² image turned 90° counter-clockwise: pixel (x, y) moves to (y, size − 1 − x). */
    static double[][] quarterTurn(double[][] points, int size) {
        double[][] out = new double[points.length][];
        for (int i = 0; i < points.length; i++) {
            out[i] = new double[] {points[i][1], size - 1 - points[i][0]};
        }
        return out;
    }
}
