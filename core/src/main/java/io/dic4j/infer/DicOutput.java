package io.dic4j.infer;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.output.Landmark;
import java.util.List;

/**
 * What DIC gives for one face through DJL's {@code Predictor<Image, DicOutput>}.
 *
 * @param steps the SR image after each of the network's steps; the last is the answer
 * @param landmarks the last step's 68 iBUG points in SR pixels (0-based, sub-pixel), in a box that is the whole SR
 *     image
 */
public record DicOutput(List<Image> steps, Landmark landmarks) {

    /** The super-resolved face: the last step's image. */
    public Image sr() {
        return steps.get(steps.size() - 1);
    }
}
