package io.dic4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.Pair;
import io.dic4j.model.layers.CompositeBlock;
import io.dic4j.model.layers.MaxFeatureMap;

/**
 * LightCNN-9 as DICGAN uses it, on 128×128 faces in DIC's normalised space. Features: a 5×5 max-feature-map
 * conv (3→48), then groups (1×1 MFM, 3×3 MFM) 48→96, 96→192, 192→128, 128→128, with a 2×2 max-pool (ceil
 * mode) after the first conv and after groups 1, 2 and 4: (N, 128, 8, 8). With the classifier (the
 * discriminator): flattened, a linear MFM 8192→256, LeakyReLU(0.2), linear 256→1, the real/fake logit.
 * Without it (the feature extractor of the feature loss, the authors' {@code LightCNN_feature.pth}) the output
 * is the features.
 */
public final class LightCnn extends CompositeBlock {

    /** The spatial size of the features on a 128×128 input (the classifier's input is 128·8·8). */
    static final int FEATURE_SIZE = 8;
    static final int FEATURES = 128;
    /** The groups' places in the reference's {@code features} Sequential, between its max-pools. */
    private static final int[] GROUP_INDICES = {2, 4, 6, 7};
    private static final int HIDDEN = 256;
    private static final float LEAKY_SLOPE = 0.2f;

    private final boolean classifier;
    private final MaxFeatureMap stem;
    private final Group[] groups = new Group[4];
    private final MaxFeatureMap hidden;
    private final Linear score;

    /** A 1×1 MFM that keeps the channels, then a 3×3 MFM. */
    private static final class Group extends CompositeBlock {
        private final MaxFeatureMap reduce;
        private final MaxFeatureMap conv;

        Group(int in, int out) {
            reduce = addChildBlock("reduce", "conv_a.filter", MaxFeatureMap.conv(in, in, 1, 0));
            conv = addChildBlock("conv", "conv.filter", MaxFeatureMap.conv(in, out, 3, 1));
        }

        @Override
        protected NDList compute(ParameterStore ps, NDList inputs, boolean training) {
            return new NDList(run(conv, ps, run(reduce, ps, inputs.singletonOrThrow(), training), training));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return conv.getOutputShapes(inputShapes);
        }
    }

    private LightCnn(boolean classifier) {
        this.classifier = classifier;
        stem = addChildBlock("stem", "features.0.filter", MaxFeatureMap.conv(3, 48, 5, 2));
        int[][] channels = {{48, 96}, {96, 192}, {192, FEATURES}, {FEATURES, FEATURES}};
        for (int i = 0; i < groups.length; i++) {
            groups[i] = addChildBlock("group" + (i + 1), "features." + GROUP_INDICES[i],
                    new Group(channels[i][0], channels[i][1]));
        }
        hidden = classifier
                ? addChildBlock("hidden", "classifier.0.filter",
                        MaxFeatureMap.linear(FEATURES * FEATURE_SIZE * FEATURE_SIZE, HIDDEN))
                : null;
        score = classifier ? addChildBlock("score", "classifier.2", Linear.builder().setUnits(1).build()) : null;
        if (score != null) {
            // PyTorch's default for nn.Linear (DJL's Linear defaults to Xavier)
            UniformInitializer init = new UniformInitializer((float) (1 / Math.sqrt(HIDDEN)));
            score.setInitializer(init, Parameter.Type.WEIGHT);
            score.setInitializer(init, Parameter.Type.BIAS);
        }
    }

    /** The discriminator: features and classifier. */
    public static LightCnn discriminator() {
        return new LightCnn(true);
    }

    /** The feature extractor: the features only. */
    public static LightCnn featureExtractor() {
        return new LightCnn(false);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Pair<String, Block> child : getChildren()) {
            // the one child whose parameter shapes follow its input: the score layer reads the hidden units
            Shape[] in = child.getValue() == score ? new Shape[] {new Shape(1, HIDDEN)} : inputShapes;
            child.getValue().initialize(manager, dataType, in);
        }
    }

    @Override
    protected NDList compute(ParameterStore ps, NDList inputs, boolean training) {
        NDArray x = pool(run(stem, ps, inputs.singletonOrThrow(), training));
        x = pool(run(groups[0], ps, x, training));
        x = pool(run(groups[1], ps, x, training));
        x = pool(run(groups[3], ps, run(groups[2], ps, x, training), training));
        if (!classifier) {
            return new NDList(x);
        }
        NDArray h = run(hidden, ps, x.reshape(x.getShape().get(0), -1), training);
        h = ai.djl.nn.Activation.leakyRelu(h, LEAKY_SLOPE);
        return run(score, ps, new NDList(h), training);
    }

    private static NDArray pool(NDArray x) {
        return Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), true);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        if (classifier) {
            return new Shape[] {new Shape(s.get(0), 1)};
        }
        return new Shape[] {new Shape(s.get(0), FEATURES, ceilDiv16(s.get(2)), ceilDiv16(s.get(3)))};
    }

    private static long ceilDiv16(long size) {
        long s = size;
        for (int i = 0; i < 4; i++) {
            s = (s + 1) / 2;
        }
        return s;
    }
}
