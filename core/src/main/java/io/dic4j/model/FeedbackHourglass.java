package io.dic4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.dic4j.model.layers.Activation;
import io.dic4j.model.layers.CompositeBlock;
import io.dic4j.model.layers.ConvLayer;
import io.dic4j.model.layers.ResidualBlock;

/**
 * The alignment branch: a feedback hourglass that estimates K landmark heatmaps at a quarter of the SR
 * resolution.
 *
 * <p>Inputs: the SR image (N, C, 4h, 4w) and, after the first step, the hidden state (N, H, h, w) it returned
 * last time. The stem (7×7/2 conv, residual blocks, max-pool) gives H channels at h×w; they are concatenated
 * with the hidden state (with themselves at the first step), mixed by a 1×1 conv and run through a depth-4
 * hourglass of 2H channels. The first H channels make the heatmaps, the last H are the next hidden state.
 * Outputs: heatmaps (N, K, h, w) and the new hidden state.
 */
public final class FeedbackHourglass extends CompositeBlock {

    static final int DEPTH = 4;
    /** The reference's name of the hourglass inside DIC ({@code HG}), and of a stand-alone one's prefix. */
    public static final String TORCH_NAME = "HG";

    private final int features;
    private final int keypoints;
    private final HourglassStem stem;
    private final ConvLayer mix;
    private final Hourglass hourglass;
    private final ResidualBlock headRes;
    private final ConvLayer headConv;
    private final ConvLayer headOut;

    public FeedbackHourglass(int imageChannels, int features, int keypoints) {
        this.features = features;
        this.keypoints = keypoints;
        stem = addChildBlock("stem", "pre_conv_block", new HourglassStem(imageChannels, features, false));
        mix = addChildBlock("mix", "compress_in", ConvLayer.builder(2 * features, 2 * features, 1).build());
        hourglass = addChildBlock("hourglass", "hg", new Hourglass(DEPTH, 2 * features, false));
        headRes = addChildBlock("headRes", "hg_conv_out.0", new ResidualBlock(features, features));
        headConv = addChildBlock("headConv", "hg_conv_out.1.conv_block.0",
                ConvLayer.builder(features, features, 1).optActivation(Activation.RELU).build());
        headOut = addChildBlock("headOut", "hg_conv_out.2", ConvLayer.builder(features, keypoints, 1).build());
    }

    /** The stem's features (N, H, h, w), before the feedback connection. */
    public NDArray stem(ParameterStore ps, NDArray image, boolean training) {
        return run(stem, ps, image, training);
    }

    @Override
    protected NDList compute(ParameterStore ps, NDList inputs, boolean training) {
        NDArray x = stem(ps, inputs.get(0), training);
        NDArray hidden = inputs.size() > 1 ? inputs.get(1) : x;
        x = run(mix, ps, x.concat(hidden, 1), training);
        x = run(hourglass, ps, x, training);
        NDArray heads = x.get(":, :{}", features);
        NDArray nextHidden = x.get(":, {}:", features);
        NDArray heatmaps = run(headOut, ps, run(headConv, ps, run(headRes, ps, heads, training), training), training);
        return new NDList(heatmaps, nextHidden);
    }

    /** The multiply-accumulates of a forward on an SR image of {@code shape} (with or without the hidden state). */
    public long macs(Shape shape) {
        Shape heads = output(stem, shape);
        Shape mixed = withChannels(heads, 2L * features);
        return stem.macs(shape) + mix.macs(mixed) + hourglass.macs(mixed) + headRes.macs(heads)
                + headConv.macs(heads) + headOut.macs(heads);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        long h = s.get(2) / 4;
        long w = s.get(3) / 4;
        return new Shape[] {new Shape(s.get(0), keypoints, h, w), new Shape(s.get(0), features, h, w)};
    }
}
