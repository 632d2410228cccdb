package io.dic4j.image;

import java.awt.image.BufferedImage;

/**
 * A square patch cut out of an image through a similarity transform: its {@code size × size} pixels cover a square
 * of {@code side} source pixels centred on {@code (centreX, centreY)} and turned by {@code rotation}. This is how a
 * face is cut out of a photo (an arbitrary box, at a sub-pixel position, tilted), and the map between the two frames
 * carries points either way (landmarks into the patch, a result pasted back).
 *
 * <p>Coordinates are continuous in both frames: pixel i spans [i, i + 1), its centre is i + 0.5. That is
 * {@link PilResize}'s convention, and the one in which the data pipeline maps landmarks into its crops, so an
 * upright patch of an integer box maps points as the plain crop does.
 *
 * <p>Sampling: bilinear interpolation of the source at each patch pixel's centre, black outside the image (as the
 * reference pads its crops). When the patch shrinks the source, the source is first Pillow-resized by the factor
 * (bicubic, its kernel widened by the factor: antialiased), on a grid anchored at the source's origin, and that is
 * interpolated. Pillow's resize rather than an area average because it is the filter that made the training LR
 * faces (and that thumbnails are commonly made with), so the resized source is a smaller photo of the same scene;
 * anchored at the source's origin rather than at the patch because a photo's pixel grid does not know where the
 * face is: the face sits at a sub-pixel phase of it, and interpolating there is part of what cutting a face out of
 * a photo does to it. So a patch cut from a large image at a small size is degraded as a face cut from a small photo
 * is, and an identity transform (side = size, on whole pixels) is a plain crop. Immutable and thread-safe.
 *
 * @param centreX the patch's centre in source pixels, x
 * @param centreY y
 * @param side the patch's side in source pixels
 * @param rotation degrees; the patch shows the source turned counter-clockwise on screen by this angle (its x axis
 *     runs along (cos, sin) of the angle in the source, y pointing down): +90 is numpy's {@code rot90}
 * @param size the patch's side in pixels
 */
public record SimilarityWarp(double centreX, double centreY, double side, double rotation, int size) {

    public SimilarityWarp {
        if (!(side > 0) || !Double.isFinite(side) || size < 1 || !Double.isFinite(centreX)
                || !Double.isFinite(centreY) || !Double.isFinite(rotation)) {
            throw new IllegalArgumentException("a warp needs a finite centre and rotation, a positive side and a size"
                    + " of at least 1, got centre (" + centreX + ", " + centreY + "), side " + side + ", rotation "
                    + rotation + ", size " + size);
        }
    }

    /** The same square of the source at another patch size (e.g. a face's LR beside its HR). */
    public SimilarityWarp withSize(int newSize) {
        return new SimilarityWarp(centreX, centreY, side, rotation, newSize);
    }

    /** Source pixels per patch pixel. */
    public double scale() {
        return side / size;
    }

    /** The patch point {@code (u, v)} in source pixels. */
    public double[] toSource(double u, double v) {
        double a = Math.toRadians(rotation);
        double du = (u - size / 2.0) * scale();
        double dv = (v - size / 2.0) * scale();
        return new double[] {centreX + Math.cos(a) * du - Math.sin(a) * dv,
            centreY + Math.sin(a) * du + Math.cos(a) * dv};
    }

    /** The source point {@code (x, y)} in patch pixels. */
    public double[] toPatch(double x, double y) {
        double a = Math.toRadians(rotation);
        double dx = (x - centreX) / scale();
        double dy = (y - centreY) / scale();
        return new double[] {size / 2.0 + Math.cos(a) * dx + Math.sin(a) * dy,
            size / 2.0 - Math.sin(a) * dx + Math.cos(a) * dy};
    }

    /** Source points (x, y) in patch pixels. */
    public double[][] toPatch(double[][] points) {
        double[][] out = new double[points.length][];
        for (int i = 0; i < points.length; i++) {
            out[i] = toPatch(points[i][0], points[i][1]);
        }
        return out;
    }

    /** The patch's axis-aligned bounds in source pixels: {min x, min y, max x, max y}. */
    public double[] bounds() {
        double[][] corners = {toSource(0, 0), toSource(size, 0), toSource(0, size), toSource(size, size)};
        double[] b = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.NEGATIVE_INFINITY};
        for (double[] c : corners) {
            b[0] = Math.min(b[0], c[0]);
            b[1] = Math.min(b[1], c[1]);
            b[2] = Math.max(b[2], c[0]);
            b[3] = Math.max(b[3], c[1]);
        }
        return b;
    }

    /** Cuts the patch out of an 8-bit RGB image (see the class comment for how it samples). */
    public BufferedImage cut(BufferedImage source) {
        double pitch = Math.max(scale(), 1);
        double[] bounds = bounds();
        double minX = bounds[0];
        double minY = bounds[1];
        double maxX = bounds[2];
        double maxY = bounds[3];
        // the cells of the sampled image under the patch, and one more each side for the bilinear neighbours
        int k0 = (int) Math.floor(minX / pitch) - 1;
        int l0 = (int) Math.floor(minY / pitch) - 1;
        int w = (int) Math.ceil(maxX / pitch) + 1 - k0;
        int h = (int) Math.ceil(maxY / pitch) + 1 - l0;
        int[] cells = sampled(source, pitch, k0, l0, w, h).getRGB(0, 0, w, h, null, 0, w);
        int[] out = new int[size * size];
        for (int v = 0; v < size; v++) {
            for (int u = 0; u < size; u++) {
                double[] q = toSource(u + 0.5, v + 0.5);
                // in the cells' indices, whose centres are at integers
                out[v * size + u] = bilinear(cells, w, h, q[0] / pitch - k0 - 0.5, q[1] / pitch - l0 - 0.5);
            }
        }
        BufferedImage patch = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        patch.setRGB(0, 0, size, size, out, 0, size);
        return patch;
    }

    /**
     * Cells {@code [k0, k0 + w) × [l0, l0 + h)} of the source sampled at {@code pitch} source pixels per cell: its own
     * pixels at pitch 1, else Pillow's bicubic resize onto the grid of that pitch anchored at the source's origin.
     */
    private static BufferedImage sampled(BufferedImage source, double pitch, int k0, int l0, int w, int h) {
        if (pitch == 1) {
            return Images.crop(source, k0, l0, w, h);
        }
        // the window holds Pillow's whole kernel (2 cells) and a pixel for its rounding, so that no kernel is
        // clipped: the black outside the image is read as black
        double reach = 2 * pitch + 1;
        int x0 = (int) Math.floor(k0 * pitch - reach);
        int y0 = (int) Math.floor(l0 * pitch - reach);
        int x1 = (int) Math.ceil((k0 + w) * pitch + reach);
        int y1 = (int) Math.ceil((l0 + h) * pitch + reach);
        BufferedImage window = Images.crop(source, x0, y0, x1 - x0, y1 - y0);
        return PilResize.resize(window, k0 * pitch - x0, l0 * pitch - y0, (k0 + w) * pitch - x0,
                (l0 + h) * pitch - y0, w, h);
    }

    /** {@link Bilinear#rgb}, rounded to a packed pixel. */
    private static int bilinear(int[] pixels, int w, int h, double x, double y) {
        double[] rgb = Bilinear.rgb(pixels, w, h, x, y);
        return ((int) Math.round(rgb[0]) << 16) | ((int) Math.round(rgb[1]) << 8) | (int) Math.round(rgb[2]);
    }
}
