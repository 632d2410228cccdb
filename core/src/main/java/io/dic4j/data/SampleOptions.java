package io.dic4j.data;

/**
 * How samples are made: the dataset keys of the authors' option files, one field each.
 *
 * @param hrSize HR side ({@code HR_size}, 128)
 * @param lrSize LR side ({@code LR_size}, 16)
 * @param sigma Gaussian σ of the GT heatmaps in heatmap cells ({@code sigma}, 1)
 * @param flip random horizontal flips with the 68-point mirror ({@code use_flip})
 * @param rotate random rotations by 0, 90, 180 or 270 degrees ({@code use_rot}); unlike the reference, which
 *     rotates the images and heatmaps but not its landmark list, the landmarks turn with the face
 * @param distortMin lower end of the random crop aspect ratio h/w ({@code distort[0]}); 1 for none
 * @param distortMax upper end ({@code distort[1]}); 1 for none
 * @param lrResample faces cut as photos give them ({@code lr_resample}, dic4j's), or null for the exact chain
 */
public record SampleOptions(int hrSize, int lrSize, double sigma, boolean flip, boolean rotate, double distortMin,
        double distortMax, LrResample lrResample) {

    /** The reference's test-time sampling: 128 → 16, σ 1, no augmentation. */
    public static final SampleOptions EVALUATION = new SampleOptions(128, 16, 1.0, false, false, 1.0, 1.0, null);

    /** HR pixels per heatmap cell: the hourglass predicts maps at a quarter of the HR size. */
    public static final int HEATMAP_STRIDE = 4;

    public SampleOptions {
        if (hrSize <= 0 || hrSize % HEATMAP_STRIDE != 0) {
            throw new IllegalArgumentException("HR_size must be a positive multiple of " + HEATMAP_STRIDE
                    + ", got " + hrSize);
        }
        if (lrSize <= 0 || lrSize > hrSize) {
            throw new IllegalArgumentException("LR_size must be in 1.." + hrSize + ", got " + lrSize);
        }
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("sigma must be positive, got " + sigma);
        }
        if (!(distortMin > 0) || distortMax < distortMin) {
            throw new IllegalArgumentException("distort must be [min, max] with 0 < min <= max, got [" + distortMin
                    + ", " + distortMax + "]");
        }
        // distorts() would read fields that a compact constructor has not assigned yet
        if (lrResample != null && (distortMin != 1.0 || distortMax != 1.0)) {
            throw new IllegalArgumentException("distort and lr_resample cannot be combined: distort stretches the crop,"
                    + " a resampling warp keeps the face's aspect");
        }
    }

    /** These options with faces cut as photos give them ({@code resample}), or with the exact chain (null). */
    public SampleOptions withLrResample(LrResample resample) {
        return new SampleOptions(hrSize, lrSize, sigma, flip, rotate, distortMin, distortMax, resample);
    }

    public int heatmapSize() {
        return hrSize / HEATMAP_STRIDE;
    }

    public boolean distorts() {
        return distortMin != 1.0 || distortMax != 1.0;
    }
}
