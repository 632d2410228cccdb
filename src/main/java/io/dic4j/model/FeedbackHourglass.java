package io.dic4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
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

    private final int features;
    private final int keypoints;
    private final ConvLayer stem;
    private final ResidualBlock stemRes1;
    private final ResidualBlock stemRes2;
    private final ResidualBlock stemRes3;
    private final ConvLayer mix;
    private final Hourglass hourglass;
    private final ResidualBlock headRes;
    private final ConvLayer headConv;
    private final ConvLayer headOut;

    public FeedbackHourglass(int imageChannels, int features, int keypoints) {
        this.features = features;
        this.keypoints = keypoints;
        stem = addChildBlock("stem", ConvLayer.builder(imageChannels, features / 4, 7)
                .optStride(2).optPadding(3).optActivation(Activation.RELU).build());
        stemRes1 = addChildBlock("stemRes1", new ResidualBlock(features / 4, features / 2));
        stemRes2 = addChildBlock("stemRes2", new ResidualBlock(features / 2, features / 2));
        stemRes3 = addChildBlock("stemRes3", new ResidualBlock(features / 2, features));
        mix = addChildBlock("mix", ConvLayer.builder(2 * features, 2 * features, 1).build());
        hourglass = addChildBlock("hourglass", new Hourglass(DEPTH, 2 * features, false));
        headRes = addChildBlock("headRes", new ResidualBlock(features, features));
        headConv = addChildBlock("headConv",
                ConvLayer.builder(features, features, 1).optActivation(Activation.RELU).build());
        headOut = addChildBlock("headOut", ConvLayer.builder(features, keypoints, 1).build());
    }

    /** The stem's features (N, H, h, w), before the feedback connection. */
    public NDArray stem(ParameterStore ps, NDArray image, boolean training) {
        NDArray x = stemRes1.apply(ps, stem.apply(ps, image, training), training);
        x = Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false);
        return stemRes3.apply(ps, stemRes2.apply(ps, x, training), training);
    }

    @Override
    protected NDList compute(ParameterStore ps, NDList inputs, boolean training) {
        NDArray x = stem(ps, inputs.get(0), training);
        NDArray hidden = inputs.size() > 1 ? inputs.get(1) : x;
        x = run(mix, ps, x.concat(hidden, 1), training);
        x = run(hourglass, ps, x, training);
        NDArray heads = x.get(":, :{}", features);
        NDArray nextHidden = x.get(":, {}:", features);
        NDArray heatmaps = headOut.apply(ps,
                headConv.apply(ps, headRes.apply(ps, heads, training), training), training);
        return new NDList(heatmaps, nextHidden);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        long h = s.get(2) / 4;
        long w = s.get(3) / 4;
        return new Shape[] {new Shape(s.get(0), keypoints, h, w), new Shape(s.get(0), features, h, w)};
    }
}
