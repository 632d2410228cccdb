package io.dic4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.dic4j.landmarks.LandmarkScheme;
import io.dic4j.model.layers.CompositeBlock;
import java.util.List;

/**
 * DIC's feedback hourglass on its own, as the authors pre-train it ({@code FB_HG_68_*.pth}): it reads the same
 * HR face at every step, feeding its hidden state back, and gives one heatmap stack per step. Its parameters
 * are those of {@link DicNet#alignment()}, so the trained weights load into DIC.
 *
 * <p>Input: HR faces (N, C, H, W), normalised as DIC's images. Output: T heatmap stacks (N, K, H/4, W/4).
 */
public final class LandmarkNet extends CompositeBlock implements LandmarkModel {

    private final int steps;
    private final int features;
    private final int keypoints;
    private final int imageChannels;
    private final FeedbackHourglass alignment;

    private LandmarkNet(Builder b) {
        steps = b.steps;
        features = b.features;
        keypoints = b.keypoints;
        imageChannels = b.imageChannels;
        // the child's name matches DicNet's, so both map to the reference's "HG." names
        alignment = addChildBlock("alignment", FeedbackHourglass.TORCH_NAME,
                new FeedbackHourglass(b.imageChannels, b.features, b.keypoints));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The hourglass of a DIC config: its features, keypoints, steps and image channels. */
    public static LandmarkNet of(DicConfig c) {
        return builder().setFeatures(c.hgNumFeature()).setKeypoints(c.hgNumKeypoints()).optSteps(c.numSteps())
                .optImageChannels(c.outChannels()).build();
    }

    public int steps() {
        return steps;
    }

    public int features() {
        return features;
    }

    @Override
    public int keypoints() {
        return keypoints;
    }

    @Override
    public int imageChannels() {
        return imageChannels;
    }

    @Override
    public List<NDArray> heatmaps(ParameterStore ps, NDArray faces, boolean training) {
        return forward(ps, new NDList(faces), training);
    }

    public FeedbackHourglass alignment() {
        return alignment;
    }

    @Override
    protected NDList compute(ParameterStore ps, NDList inputs, boolean training) {
        NDArray image = inputs.singletonOrThrow();
        NDList heatmaps = new NDList(steps);
        NDArray hidden = null;
        for (int t = 0; t < steps; t++) {
            NDList in = hidden == null ? new NDList(image) : new NDList(image, hidden);
            NDList out = run(alignment, ps, in, training);
            heatmaps.add(out.get(0));
            hidden = out.get(1);
        }
        return heatmaps;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        Shape[] out = new Shape[steps];
        for (int t = 0; t < steps; t++) {
            out[t] = new Shape(s.get(0), keypoints, s.get(2) / 4, s.get(3) / 4);
        }
        return out;
    }

    /** Builder: features and keypoints are required; 4 steps and 3 image channels by default. */
    public static final class Builder {
        private int features;
        private int keypoints;
        private int steps = DicConfig.PAPER.numSteps();
        private int imageChannels = 3;

        public Builder setFeatures(int features) {
            this.features = features;
            return this;
        }

        public Builder setKeypoints(int keypoints) {
            this.keypoints = keypoints;
            return this;
        }

        public Builder optSteps(int steps) {
            this.steps = steps;
            return this;
        }

        public Builder optImageChannels(int channels) {
            this.imageChannels = channels;
            return this;
        }

        public LandmarkNet build() {
            if (features <= 0 || features % 4 != 0) {
                throw new IllegalStateException("LandmarkNet needs features, a positive multiple of 4, got " + features);
            }
            LandmarkScheme.forPoints(keypoints);
            if (steps < 1 || imageChannels < 1) {
                throw new IllegalStateException("LandmarkNet needs at least 1 step and 1 image channel");
            }
            return new LandmarkNet(this);
        }
    }
}
