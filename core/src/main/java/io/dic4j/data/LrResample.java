package io.dic4j.data;

import io.dic4j.image.SimilarityWarp;
import java.util.Random;

/**
 * Faces as photos give them (dic4j's dataset key {@code lr_resample}): a face cut out of a photo is resampled, at a
 * sub-pixel offset, slightly turned and scaled, through an antialiasing warp, which the reference's exact chain
 * (box → Pillow bicubic 128 → 16) never shows the network. When drawn for a sample, one random similarity transform
 * around the face's box cuts both its HR and its LR out of the source image with {@link SimilarityWarp} (so the
 * LR is a face cut from a small photo, not a resize of the HR), and the landmarks go through the same transform.
 * Off (absent) by default: the paper's recipe.
 *
 * @param probability the chance that a sample is resampled ({@code probability}, 0..1); the others keep the exact
 *     chain
 * @param maxRotation degrees: the rotation is uniform in ±this ({@code max_rotation}, 0..45)
 * @param maxScale relative: the cut square's side is the box's times a factor uniform in 1 ± this
 *     ({@code max_scale}, 0..0.5)
 * @param maxShift LR pixels: the centre moves by amounts uniform in ±this along x and along y ({@code max_shift})
 */
public record LrResample(double probability, double maxRotation, double maxScale, double maxShift) {

    /**
     * The evaluation on resampled crops ({@code dic4j test --lr-resample}): every face, with the ranges that the
     * {@code enhance} pipeline's faces fall in (±0.5 LR pixel, ±5°, ±10%).
     */
    public static final LrResample EVALUATION = new LrResample(1, 5, 0.1, 0.5);

    public LrResample {
        check("probability", probability, 1);
        check("max_rotation", maxRotation, 45);
        check("max_scale", maxScale, 0.5);
        check("max_shift", maxShift, Double.MAX_VALUE);
    }

    private static void check(String key, double value, double max) {
        if (!(value >= 0 && value <= max)) {
            throw new IllegalArgumentException("lr_resample." + key + " must be in 0.." + max + ", got " + value);
        }
    }

    /**
     * Draws whether this sample is resampled and, if so, its transform: around the box's centre, its side the mean of
     * the box's width and height (the boxes are square to a pixel), at {@code hrSize}; null for the exact chain.
     * Draws one long from {@code random}.
     */
    SimilarityWarp draw(FaceBox box, int hrSize, int lrSize, Random random) {
        // FaceLoader seeds its samples' Randoms with consecutive numbers, and the first draws of such Randoms are
        // nearly equal (they move by 1e-4 per seed): all faces of an epoch would draw alike. A Random seeded by
        // this one's first long draws independently of its neighbours.
        Random own = new Random(random.nextLong());
        if (own.nextDouble() >= probability) {
            return null;
        }
        double side = (box.width() + box.height()) / 2.0;
        double lrPixel = side / lrSize;
        double shiftX = uniform(own, maxShift) * lrPixel;
        double shiftY = uniform(own, maxShift) * lrPixel;
        double rotation = uniform(own, maxRotation);
        double scale = 1 + uniform(own, maxScale);
        return new SimilarityWarp((box.xmin() + box.xmax()) / 2.0 + shiftX, (box.ymin() + box.ymax()) / 2.0 + shiftY,
                side * scale, rotation, hrSize);
    }

    /** Uniform in ±{@code max}. */
    private static double uniform(Random random, double max) {
        return (2 * random.nextDouble() - 1) * max;
    }
}
