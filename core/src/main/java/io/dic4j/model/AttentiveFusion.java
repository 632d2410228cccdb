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

/**
 * The attentive fusion module: features are expanded into one group of F channels per facial component,
 * refined by grouped residual blocks (groups never mix), and summed with per-pixel weights given by a softmax
 * over the five component attention maps.
 *
 * <p>Inputs: features (N, F, H, W) and merged heatmaps (N, 5, H, W). Output: (N, F, H, W).
 */
public final class AttentiveFusion extends CompositeBlock {

    private static final int PARTS = LandmarkScheme.COMPONENTS;

    private final int features;
    private final ConvLayer expand;
    private final FusionResidual[] residuals;

    public AttentiveFusion(int features, int residualBlocks) {
        this.features = features;
        expand = addChildBlock("expand", "conv_in.0",
                ConvLayer.builder(features, PARTS * features, 1).optActivation(Activation.LEAKY_RELU).build());
        residuals = new FusionResidual[residualBlocks];
        for (int i = 0; i < residualBlocks; i++) {
            residuals[i] = addChildBlock("res" + i, "resnet." + i, new FusionResidual(PARTS * features));
        }
    }

    @Override
    protected NDList compute(ParameterStore ps, NDList inputs, boolean training) {
        NDArray x = run(expand, ps, inputs.get(0), training);
        for (FusionResidual r : residuals) {
            x = run(r, ps, x, training);
        }
        NDArray attention = inputs.get(1).softmax(1);
        Shape s = x.getShape();
        NDArray parts = x.reshape(s.get(0), PARTS, features, s.get(2), s.get(3));
        // the softmax in float32; its weights in the features' type, which a bfloat16 pass keeps
        NDArray weights = attention.reshape(s.get(0), PARTS, 1, s.get(2), s.get(3));
        if (BFloat16.is(parts)) {
            weights = BFloat16.of(weights);
        }
        return new NDList(parts.mul(weights).sum(new int[] {1}));
    }

    /** The multiply-accumulates of a forward on features of {@code shape}. */
    long macs(Shape shape) {
        Shape expanded = output(expand, shape);
        long total = expand.macs(shape);
        for (FusionResidual r : residuals) {
            total += r.conv1.macs(expanded) + r.conv2.macs(expanded);
        }
        return total;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    /** Two grouped 3×3 convs (one group per component), LeakyReLU between, plus identity. */
    static final class FusionResidual extends CompositeBlock {
        private final ConvLayer conv1;
        private final ConvLayer conv2;

        FusionResidual(int channels) {
            conv1 = addChildBlock("conv1", "res.0", ConvLayer.builder(channels, channels, 3).optPadding(1)
                    .optGroups(PARTS).optActivation(Activation.LEAKY_RELU).build());
            conv2 = addChildBlock("conv2", "res.2",
                    ConvLayer.builder(channels, channels, 3).optPadding(1).optGroups(PARTS).build());
        }

        @Override
        protected NDList compute(ParameterStore ps, NDList inputs, boolean training) {
            NDArray x = inputs.singletonOrThrow();
            return new NDList(run(conv2, ps, run(conv1, ps, x, training), training).add(x));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return inputShapes;
        }
    }
}
