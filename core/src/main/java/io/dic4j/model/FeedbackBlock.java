package io.dic4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.dic4j.model.layers.Activation;
import io.dic4j.model.layers.CompositeBlock;
import io.dic4j.model.layers.ConvLayer;
import io.dic4j.model.layers.ForwardPass;
import java.util.function.UnaryOperator;

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
 * <p>The low-resolution maps are {@link DenseFeatures}, the high-resolution ones {@link PhaseMaps}: each type owns
 * how its maps are stored, concatenated and freed.
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
        compressIn = addChildBlock("compressIn", "compress_in.0", prelu(inChannels, features, 1).build());
        fusion = attentive
                ? addChildBlock("fusion", "fusion_block", new AttentiveFusion(features, fusionBlocks)) : null;
        up = new ConvLayer[groups];
        down = new ConvLayer[groups];
        upCompress = new ConvLayer[groups - 1];
        downCompress = new ConvLayer[groups - 1];
        for (int g = 0; g < groups; g++) {
            up[g] = addChildBlock("up" + g, "upBlocks." + g + ".0", projection(features).optTransposed(true).build());
            down[g] = addChildBlock("down" + g, "downBlocks." + g + ".0", projection(features).build());
        }
        // upCompress[i] and downCompress[i] serve group i + 1, which sees i + 2 earlier projections
        for (int i = 0; i < groups - 1; i++) {
            upCompress[i] = addChildBlock("upCompress" + i, "uptranBlocks." + i + ".0",
                    prelu((i + 2) * features, features, 1).build());
            downCompress[i] = addChildBlock("downCompress" + i, "downtranBlocks." + i + ".0",
                    prelu((i + 2) * features, features, 1).build());
        }
        compressOut = addChildBlock("compressOut", "compress_out.0", prelu(groups * features, features, 1).build());
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

    /**
     * SRFBN's feedback block: G groups of up- and down-projection, each group fed with the dense concatenation of all
     * earlier projections, compressed by a 1×1 conv from the second group on.
     */
    @Override
    protected NDList compute(ParameterStore ps, NDList inputs, boolean training) {
        NDArray x = attentive ? fuse(ps, inputs, training) : run(compressIn, ps, inputs.get(0), training);
        DenseFeatures low = DenseFeatures.buffered(up.length + 1, ForwardPass.modeOf(ps, training));
        PhaseMaps high = new PhaseMaps(up.length);
        low.add(x);
        for (int g = 0; g < up.length; g++) {
            ConvLayer downProjection = down[g];
            high.add(run(up[g], ps, new NDList(low.apply(0, compression(upCompress, g, ps, training))), training));
            low.add(high.read(compression(downCompress, g, ps, training),
                    h -> run(downProjection, ps, h, training).singletonOrThrow()));
        }
        return new NDList(low.apply(1, in -> run(compressOut, ps, in, training)));
    }

    /**
     * The attentive block's input: the LR features concatenated with the previous block output (the hidden state),
     * compressed, and fused under the attention of the merged component heatmaps.
     */
    private NDArray fuse(ParameterStore ps, NDList inputs, boolean training) {
        NDArray x = run(compressIn, ps, inputs.get(0).concat(inputs.get(1), 1), training);
        return run(fusion, ps, new NDList(x, inputs.get(2)), training).singletonOrThrow();
    }

    /** Group g's 1×1 compression of the dense maps: {@code convs[g − 1]}, none in the first group. */
    private static UnaryOperator<NDArray> compression(ConvLayer[] convs, int g, ParameterStore ps, boolean training) {
        return g == 0 ? UnaryOperator.identity() : in -> run(convs[g - 1], ps, in, training);
    }

    /**
     * The multiply-accumulates of a forward on LR features of {@code shape} (N, F, h, w); the ×8 side's 1×1
     * compressions count the pixels of the phase layout's parts, border included, as they run.
     */
    long macs(Shape shape) {
        long total = compressIn.macs(attentive ? withChannels(shape, 2L * features) : shape);
        if (attentive) {
            total += fusion.macs(shape);
        }
        Shape[] phases = up[0].getOutputShapes(new Shape[] {shape});
        for (int g = 0; g < up.length; g++) {
            if (g > 0) {
                long dense = (g + 1L) * features;
                total += upCompress[g - 1].macs(withChannels(shape, dense));
                for (Shape part : phases) {
                    total += downCompress[g - 1].macs(withChannels(part, dense));
                }
            }
            total += up[g].macs(shape) + down[g].macs(phases[0]);
        }
        return total + compressOut.macs(withChannels(shape, (long) up.length * features));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), features, s.get(2), s.get(3))};
    }
}
