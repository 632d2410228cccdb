package io.dic4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.dic4j.model.layers.Activation;
import io.dic4j.model.layers.CompositeBlock;
import io.dic4j.model.layers.ConvLayer;
import io.dic4j.model.layers.ResidualBlock;
import io.dic4j.model.ops.Constants;
import java.util.ArrayList;
import java.util.List;

/**
 * The stacked hourglass with batch-norm that the paper's landmark evaluation scores SR faces with (the authors'
 * {@code HG_68_CelebA.pth}: 256 features, 4 stacks, 68 landmarks, 'mean' connection).
 *
 * <p>Stem ({@link HourglassStem}, batch-normalised): F channels at a quarter of the image.
 * Each stack: a depth-4 hourglass, a residual block, a 1×1 conv + BN + ReLU, and a 1×1 conv to the heatmaps;
 * between stacks the features and the heatmaps are mapped back by 1×1 convs and added to the stack's input
 * (the "hidden" term). Given the hidden terms of an earlier pass, the heatmap term is their mean with this
 * pass's ('mean' connection); the evaluation runs without.
 *
 * <p>Inputs: the image (N, C, H, W) and optionally S − 1 hidden terms. Outputs: the S stacks' heatmaps
 * (N, K, H/4, W/4), the last one the prediction, then the S − 1 hidden terms (see {@link Output}).
 */
public final class StackedHourglass extends CompositeBlock implements LandmarkModel {

    static final int DEPTH = 4;

    private final int features;
    private final int stacks;
    private final int keypoints;
    private final int imageChannels;
    private final HourglassStem stem;
    private final List<Stack> stackBlocks = new ArrayList<>();

    /** One stack's blocks; the two back-mappings are null on the last stack. */
    private record Stack(Hourglass hourglass, ResidualBlock res, ConvLayer lin, ConvLayer pred,
            ConvLayer featureBack, ConvLayer heatmapBack) {}

    /** The outputs split: every stack's heatmaps (the last is the prediction) and the hidden terms. */
    public record Output(List<NDArray> heatmaps, List<NDArray> hidden) {

        public static Output of(NDList out, int stacks) {
            return new Output(out.subList(0, stacks), out.subList(stacks, out.size()));
        }

        public NDArray prediction() {
            return heatmaps.get(heatmaps.size() - 1);
        }
    }

    private StackedHourglass(Builder b) {
        features = b.features;
        stacks = b.stacks;
        keypoints = b.keypoints;
        imageChannels = b.imageChannels;
        int f = features;
        stem = addChildBlock("stem", "pre_conv_block", new HourglassStem(b.imageChannels, f, true));
        for (int i = 0; i < stacks; i++) {
            boolean last = i == stacks - 1;
            stackBlocks.add(new Stack(
                    addChildBlock("hourglass" + i, "hg" + i, new Hourglass(DEPTH, f, true)),
                    addChildBlock("res" + i, "hg" + i + "_res1", new ResidualBlock(f, f, true)),
                    addChildBlock("lin" + i, "hg" + i + "_lin1.conv_block.0",
                            ConvLayer.builder(f, f, 1).optBatchNorm(true).optActivation(Activation.RELU).build()),
                    addChildBlock("pred" + i, "hg" + i + "_conv_pred", ConvLayer.builder(f, keypoints, 1).build()),
                    last ? null : addChildBlock("featureBack" + i, "hg" + i + "_conv1",
                            ConvLayer.builder(f, f, 1).build()),
                    last ? null : addChildBlock("heatmapBack" + i, "hg" + i + "_conv2",
                            ConvLayer.builder(keypoints, f, 1).build())));
        }
    }

    public static Builder builder() {
        return new Builder();
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
        return Output.of(forward(ps, new NDList(faces), training), stacks).heatmaps();
    }

    @Override
    protected NDList compute(ParameterStore ps, NDList inputs, boolean training) {
        if (inputs.size() != 1 && inputs.size() != stacks) {
            throw new IllegalArgumentException("StackedHourglass takes an image and optionally " + (stacks - 1)
                    + " hidden terms, got " + inputs.size() + " arrays");
        }
        NDArray inter = run(stem, ps, inputs.get(0), training);
        NDList heatmaps = new NDList(stacks);
        NDList hidden = new NDList(stacks - 1);
        for (int i = 0; i < stacks; i++) {
            Stack s = stackBlocks.get(i);
            NDArray ll = run(s.hourglass(), ps, inter, training);
            ll = run(s.lin(), ps, run(s.res(), ps, ll, training), training);
            NDArray out = run(s.pred(), ps, ll, training);
            heatmaps.add(out);
            if (s.featureBack() != null) {
                NDArray back = run(s.heatmapBack(), ps, out, training);
                NDArray term = inputs.size() == 1 ? back
                        : back.add(inputs.get(i + 1)).div(Constants.scalar(back.getManager(), 2f));
                inter = inter.add(run(s.featureBack(), ps, ll, training)).add(term);
                hidden.add(back);
            }
        }
        heatmaps.addAll(hidden);
        return heatmaps;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        long h = s.get(2) / 4;
        long w = s.get(3) / 4;
        Shape[] out = new Shape[2 * stacks - 1];
        for (int i = 0; i < out.length; i++) {
            out[i] = new Shape(s.get(0), i < stacks ? keypoints : features, h, w);
        }
        return out;
    }

    /** Builder: features (a multiple of 4), stacks and keypoints are required; 3 image channels by default. */
    public static final class Builder {
        private int features;
        private int stacks;
        private int keypoints;
        private int imageChannels = 3;

        public Builder setFeatures(int features) {
            this.features = features;
            return this;
        }

        public Builder setStacks(int stacks) {
            this.stacks = stacks;
            return this;
        }

        public Builder setKeypoints(int keypoints) {
            this.keypoints = keypoints;
            return this;
        }

        public Builder optImageChannels(int channels) {
            this.imageChannels = channels;
            return this;
        }

        public StackedHourglass build() {
            if (features <= 0 || features % 4 != 0) {
                throw new IllegalStateException("StackedHourglass needs features, a positive multiple of 4, got "
                        + features);
            }
            if (stacks < 1 || imageChannels < 1 || keypoints < 1) {
                throw new IllegalStateException("StackedHourglass needs at least 1 stack, 1 image channel and 1"
                        + " keypoint");
            }
            return new StackedHourglass(this);
        }
    }
}
