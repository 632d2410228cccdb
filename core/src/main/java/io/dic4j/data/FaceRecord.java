package io.dic4j.data;

import java.nio.file.Path;

/**
 * One face of a dataset: where its image is, and what is known about it.
 *
 * @param name the image's name in the dataset (its file name; outputs are named after it)
 * @param image the image file
 * @param landmarks K (x, y) points in the image's 0-based pixel frame, or null when unannotated
 * @param box the crop box, or null: the largest centred square of the image (aligned faces)
 */
public record FaceRecord(String name, Path image, double[][] landmarks, FaceBox box) {

    public boolean hasLandmarks() {
        return landmarks != null;
    }
}
