package io.dic4j.enhance;

import io.dic4j.image.SimilarityWarp;

/**
 * Where BlazeFace's eyes, nose tip and mouth centre fall in DIC's training framing: the 128×128 crop of a square of
 * 1.3× the 68-landmark extent, centred on it, raised by 5% (the reference's box). A face is aligned by the
 * least-squares similarity from these points to its detected ones, so the patch frames it as DIC was trained.
 *
 * <p>Derived by {@code FaceTemplateTest#deriveFromTheTrainingFaces}: BlazeFace run on each of the 1,207 300-W
 * training faces ({@code ../shared/data/faces300w/train}, a window of twice its box around it, resized to 128) and
 * its keypoints averaged in the box's 128×128 frame. The detector's own points rather than the 68 landmarks' eye
 * and mouth centres, because the two define them differently and an alignment must place what the detector sees.
 * (The 68 landmarks' give (43.70, 42.94), (84.72, 42.35), (64.82, 65.02), (64.80, 87.35): the detector's points sit
 * 1–2 px further left and its nose tip 2 px lower.) The ears are left out: on turned faces one is hidden and its
 * point is a guess.
 */
public final class FaceTemplate {

    /** The template's frame: DIC's HR size. */
    public static final int SIZE = 128;

    /** BlazeFace's keypoints the alignment uses (see {@link Detection}). */
    static final int[] KEYPOINTS = {Detection.RIGHT_EYE, Detection.LEFT_EYE, Detection.NOSE_TIP,
        Detection.MOUTH_CENTRE};

    /** Their mean positions in continuous pixels of the 128×128 crop. */
    static final double[][] POINTS = {{42.61, 42.94}, {83.54, 42.93}, {62.78, 67.14}, {62.88, 87.85}};

    private FaceTemplate() {}

    /** The 128×128 patch of the photo that frames the detected face as DIC's training faces are framed. */
    public static SimilarityWarp align(Detection face) {
        double[][] detected = new double[KEYPOINTS.length][];
        for (int i = 0; i < KEYPOINTS.length; i++) {
            detected[i] = face.keypoints()[KEYPOINTS[i]];
        }
        return Similarity.fit(POINTS, detected).warp(SIZE);
    }
}
