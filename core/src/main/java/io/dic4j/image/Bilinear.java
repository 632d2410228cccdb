package io.dic4j.image;

/** Bilinear interpolation of packed RGB pixels: what cutting a patch and pasting one back both sample with. */
public final class Bilinear {

    private Bilinear() {}

    /**
     * The RGB channels (unrounded) of a {@code w × h} grid of packed pixels at (x, y), pixel centres at integers;
     * taps beyond the grid read as black.
     */
    public static double[] rgb(int[] pixels, int w, int h, double x, double y) {
        int ix = (int) Math.floor(x);
        int iy = (int) Math.floor(y);
        double fx = x - ix;
        double fy = y - iy;
        double[] rgb = new double[3];
        for (int dy = 0; dy <= 1; dy++) {
            for (int dx = 0; dx <= 1; dx++) {
                int px = ix + dx;
                int py = iy + dy;
                double weight = (dx == 0 ? 1 - fx : fx) * (dy == 0 ? 1 - fy : fy);
                if (weight == 0 || px < 0 || py < 0 || px >= w || py >= h) {
                    continue;
                }
                int p = pixels[py * w + px];
                rgb[0] += weight * ((p >> 16) & 0xff);
                rgb[1] += weight * ((p >> 8) & 0xff);
                rgb[2] += weight * (p & 0xff);
            }
        }
        return rgb;
    }
}
