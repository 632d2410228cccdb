package io.dic4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.dic4j.model.layers.Activation;
import io.dic4j.model.layers.CompositeBlock;
import io.dic4j.model.layers.ConvLayer;
import java.util.ArrayList;
import java.util.List;

/**
 * The recovery branch's feedback block (SRFBN projection groups), used for the first step and, with
 * {@code attentive} set, for every later step.
 *
 * <p>Inputs: LR features (N, F, h, w); when attentive also the previous block output (the hidden state) and
 * the merged component heatmaps (N, 5, h, w). The input is compressed to F channels (after concatenation
 * with the hidden state), passed through the attentive fusion when attentive, then through G groups of
 * up-projection (transposed conv ×8) and down-projection (conv /8), each group fed with the dense
 * concatenation of all earlier projections. Output: 1×1 conv over the G down-projections. The block keeps
 * no state: the caller threads the hidden state.
 *
 * <p>The up-projections' outputs stay in {@link io.dic4j.model.ops.SubPixelProjection}'s phase layout, a few parts
 * each: only the per-pixel 1×1 compressions (part by part) and the down-projections read them, so the ×8 image is
 * never interleaved.
 */
public final class FeedbackBlock extends CompositeBlock {

    static final int PROJECTION_KERNEL = 12;
    static final int PROJECTION_STRIDE = 8;
    static final int PROJECTION_PADDING = 2;

    private final int features;
    private final boolean attentive;
    private final ConvLayer compressIn;
    private final AttentiveFusion fusion;
    private final ConvLayer[] up;
    private final ConvLayer[] down;
    private final ConvLayer[] upCompress;
    private final ConvLayer[] downCompress;
    private final ConvLayer compressOut;

    public FeedbackBlock(int features, int groups, boolean attentive, int fusionBlocks) {
        this.features = features;
        this.attentive = attentive;
        int inChannels = attentive ? 2 * features : features;
        compressIn = addChildBlock("compressIn", prelu(inChannels, features, 1).build());
        fusion = attentive ? addChildBlock("fusion", new AttentiveFusion(features, fusionBlocks)) : null;
        up = new ConvLayer[groups];
        down = new ConvLayer[groups];
        upCompress = new ConvLayer[groups - 1];
        downCompress = new ConvLayer[groups - 1];
        for (int g = 0; g < groups; g++) {
            up[g] = addChildBlock("up" + g, projection(features).optTransposed(true).build());
            down[g] = addChildBlock("down" + g, projection(features).build());
        }
        // upCompress[i] and downCompress[i] serve group i + 1, which sees i + 2 earlier projections
        for (int i = 0; i < groups - 1; i++) {
            upCompress[i] = addChildBlock("upCompress" + i, prelu((i + 2) * features, features, 1).build());
            downCompress[i] = addChildBlock("downCompress" + i, prelu((i + 2) * features, features, 1).build());
        }
        compressOut = addChildBlock("compressOut", prelu(groups * features, features, 1).build());
    }

    private static ConvLayer.Builder prelu(int in, int out, int kernel) {
        return ConvLayer.builder(in, out, kernel).optActivation(Activation.PRELU);
    }

    private static ConvLayer.Builder projection(int features) {
        return prelu(features, features, PROJECTION_KERNEL)
                .optStride(PROJECTION_STRIDE)
                .optPadding(PROJECTION_PADDING)
                .optPhaseLayout(true);
    }

    @Override
    protected NDList compute(ParameterStore ps, NDList inputs, boolean training) {
        NDArray x = inputs.get(0);
        if (attentive) {
            x = compressIn.apply(ps, x.concat(inputs.get(1), 1), training);
            x = fusion.forward(ps, new NDList(x, inputs.get(2)), training).singletonOrThrow();
        } else {
            x = compressIn.apply(ps, x, training);
        }
        DenseFeatures low = DenseFeatures.buffered(up.length + 1);
        List<DenseFeatures> high = new ArrayList<>(); // per part of the phase layout: channels-last maps
        low.add(x);
        for (int g = 0; g < up.length; g++) {
            int compress = g - 1; // upCompress[g − 1] and downCompress[g − 1] serve group g ≥ 1
            NDArray l = g == 0 ? x : low.apply(0, in -> upCompress[compress].apply(ps, in, training));
            NDList u = up[g].forward(ps, new NDList(l), training);
            NDList h = new NDList(u.size());
            for (int i = 0; i < u.size(); i++) {
                if (g == 0) {
                    high.add(DenseFeatures.concatenating(up.length));
                }
                high.get(i).add(u.get(i));
                // the 1×1 compression is per pixel: part by part
                h.add(g == 0 ? u.get(i) : high.get(i).apply(0, in -> downCompress[compress].apply(ps, in, training)));
            }
            low.add(down[g].forward(ps, h, training).singletonOrThrow());
            if (g > 0) {
                h.close(); // ×8 maps only the down-projection reads
            }
        }
        return new NDList(low.apply(1, in -> compressOut.apply(ps, in, training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), features, s.get(2), s.get(3))};
    }
}
