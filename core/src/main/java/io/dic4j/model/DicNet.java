package io.dic4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.dic4j.landmarks.LandmarkScheme;
import io.dic4j.model.layers.Activation;
import io.dic4j.model.layers.CompositeBlock;
import io.dic4j.model.layers.ConvLayer;
import io.dic4j.model.ops.BFloat16;
import io.dic4j.model.ops.LinearResize;
import io.dic4j.model.ops.PixelShuffle;
import java.util.List;

/**
 * DIC: face super-resolution by iterative collaboration between a recovery branch and a landmark branch.
 *
 * <p>Input: LR images (N, C, h, w), normalised as {@code rgb/255 − mean}. Output: T SR images (N, C, 8h, 8w)
 * followed by T heatmap stacks (N, K, 2h, 2w), one per step ({@link Steps#of} splits them). Each step:
 * the feedback block (the first step's own, then the attentive one fed with the previous step's block output
 * and its heatmaps) → transposed conv ×4 → 3×3 conv, plus the bilinear-upsampled input = SR_t; the feedback
 * hourglass reads SR_t and gives heatmaps_t. The block keeps no state between calls.
 */
public final class DicNet extends CompositeBlock {

    /** LR features are pixel-shuffled ×2; the projections (×8) and the reconstruction (×4) do the rest. */
    static final int FEATURE_SHUFFLE = 2;

    private final DicConfig config;
    private final LandmarkScheme scheme;
    private final ConvLayer features;
    private final FeedbackBlock firstBlock;
    private final FeedbackBlock attentiveBlock;
    private final ConvLayer upsample;
    private final ConvLayer reconstruct;
    private final FeedbackHourglass alignment;

    private DicNet(DicConfig c) {
        config = c;
        scheme = c.landmarkScheme();
        int f = c.numFeatures();
        int shuffled = f * FEATURE_SHUFFLE * FEATURE_SHUFFLE;
        features = addChildBlock("features", "conv_in.0", ConvLayer.builder(c.inChannels(), shuffled, 3)
                .optPadding(1).optActivation(Activation.PRELU).build());
        firstBlock = addChildBlock("firstBlock", "first_block", new FeedbackBlock(f, c.numGroups(), false, 0));
        attentiveBlock = addChildBlock("attentiveBlock", "block",
                new FeedbackBlock(f, c.numGroups(), true, c.numFusionBlock()));
        upsample = addChildBlock("upsample", "out.0", ConvLayer.builder(f, f, 8).optStride(4).optPadding(2)
                .optTransposed(true).optActivation(Activation.PRELU).build());
        reconstruct = addChildBlock("reconstruct", "conv_out.0",
                ConvLayer.builder(f, c.outChannels(), 3).optPadding(1).build());
        alignment = addChildBlock("alignment", FeedbackHourglass.TORCH_NAME,
                new FeedbackHourglass(c.outChannels(), c.hgNumFeature(), c.hgNumKeypoints()));
    }

    public static Builder builder() {
        return new Builder();
    }

    public DicConfig config() {
        return config;
    }

    /** The alignment branch (its parameters are the reference's {@code HG.*}): frozen, or loaded, on its own. */
    public FeedbackHourglass alignment() {
        return alignment;
    }

    @Override
    protected NDList compute(ParameterStore ps, NDList inputs, boolean training) {
        Prepared in = prepare(ps, inputs.singletonOrThrow(), training);
        NDList srs = new NDList(config.numSteps());
        NDList heatmaps = new NDList(config.numSteps());
        RecurrentState state = null;
        for (int t = 0; t < config.numSteps(); t++) {
            Step out = step(ps, in, state, training);
            state = out.next();
            srs.add(out.sr());
            heatmaps.add(out.heatmaps());
        }
        return srs.addAll(heatmaps);
    }

    /**
     * What every step reads besides the recurrent state.
     *
     * @param features the LR features (N, F, 2h, 2w), pixel-shuffled ×2
     * @param interRes the input upsampled ×8 (bilinear), added to each step's reconstruction
     */
    public record Prepared(NDArray features, NDArray interRes) {}

    /** One step's outputs and the state it hands to the next. */
    public record Step(NDArray sr, NDArray heatmaps, RecurrentState next) {}

    /** The steps' common inputs from LR images (N, C, h, w). */
    public Prepared prepare(ParameterStore ps, NDArray lr, boolean training) {
        return new Prepared(PixelShuffle.apply(run(features, ps, lr, training), FEATURE_SHUFFLE),
                LinearResize.upsample(lr, config.scale(), false));
    }

    /** One step: the recovery step gives SR, the alignment step its landmark heatmaps. */
    public Step step(ParameterStore ps, Prepared in, RecurrentState state, boolean training) {
        NDArray blockOut = recover(ps, in, state, training);
        NDArray sr = run(reconstruct, ps, run(upsample, ps, blockOut, training), training).add(in.interRes());
        NDList landmarks = align(ps, sr, state, training);
        // heatmaps leave the branch in float32 (a bfloat16 pass computes them in bfloat16): the attention's
        // normalisation and the landmarks' peaks read them
        NDArray heatmaps = BFloat16.toFloat32(landmarks.get(0));
        return new Step(sr, heatmaps, new RecurrentState(blockOut, landmarks.get(1), heatmaps));
    }

    /**
     * The recovery branch's feedback block: at the first step ({@code state} null) its own, later the attentive one,
     * fed with the previous block output and the attention of the previous heatmaps.
     */
    private NDArray recover(ParameterStore ps, Prepared in, RecurrentState state, boolean training) {
        if (state == null) {
            return run(firstBlock, ps, in.features(), training);
        }
        NDList inputs = new NDList(in.features(), state.blockOutput(), attention(state.heatmaps()));
        return run(attentiveBlock, ps, inputs, training).singletonOrThrow();
    }

    /** The previous step's heatmaps merged per facial component (N, 5, 2h, 2w), as the config asks. */
    private NDArray attention(NDArray heatmaps) {
        NDArray attention = HeatmapMerge.merge(heatmaps, scheme);
        if (config.attention() == DicConfig.Attention.UNIFORM) {
            attention = attention.mean(new int[] {3}, true).mean(new int[] {2}, true).broadcast(attention.getShape());
        }
        return config.detachAttention() ? attention.stopGradient() : attention;
    }

    /** The alignment branch: the feedback hourglass reads SR and its previous hidden state (none at the first step). */
    private NDList align(ParameterStore ps, NDArray sr, RecurrentState state, boolean training) {
        return run(alignment, ps, state == null ? new NDList(sr) : new NDList(sr, state.hourglassHidden()), training);
    }

    /**
     * The multiply-accumulates of a forward on LR images of {@code shape} (N, C, h, w): every conv's, counted from
     * the blocks and their shapes.
     */
    public long macs(Shape shape) {
        Shape lr = output(features, shape);
        Shape f = new Shape(lr.get(0), config.numFeatures(), lr.get(2) * FEATURE_SHUFFLE,
                lr.get(3) * FEATURE_SHUFFLE);
        Shape upsampled = output(upsample, f);
        long perStep = upsample.macs(f) + reconstruct.macs(upsampled)
                + alignment.macs(output(reconstruct, upsampled));
        return features.macs(shape) + firstBlock.macs(f) + (config.numSteps() - 1) * attentiveBlock.macs(f)
                + config.numSteps() * perStep;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        int t = config.numSteps();
        long h = s.get(2) * config.scale();
        long w = s.get(3) * config.scale();
        Shape[] out = new Shape[2 * t];
        for (int i = 0; i < t; i++) {
            out[i] = new Shape(s.get(0), config.outChannels(), h, w);
            out[t + i] = new Shape(s.get(0), config.hgNumKeypoints(), h / 4, w / 4);
        }
        return out;
    }

    /**
     * The network's outputs, step by step.
     *
     * @param sr SR images per step, (N, C, 8h, 8w) each
     * @param heatmaps landmark heatmaps per step, (N, K, 2h, 2w) each
     */
    public record Steps(List<NDArray> sr, List<NDArray> heatmaps) {
        public static Steps of(NDList outputs) {
            int t = outputs.size() / 2;
            return new Steps(outputs.subList(0, t), outputs.subList(t, 2 * t));
        }
    }

    /** Builder: the config is required. */
    public static final class Builder {
        private DicConfig config;

        public Builder setConfig(DicConfig config) {
            this.config = config;
            return this;
        }

        public DicNet build() {
            if (config == null) {
                throw new IllegalStateException("DicNet needs a config (DicConfig.PAPER, or one read from an"
                        + " option file)");
            }
            return new DicNet(config);
        }
    }
}
