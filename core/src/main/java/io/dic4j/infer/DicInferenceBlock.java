package io.dic4j.infer;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.dic4j.model.DicNet;
import io.dic4j.model.layers.ForwardPass;

/**
 * A loaded DIC as the block of a DJL {@code Model}: inference only, and the kernels that layers derive from their
 * weights are kept by the block for the model's life (DJL's predictors bring a plain parameter store of their own,
 * which would derive them again at every call).
 */
public final class DicInferenceBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final DicNet net;
    private final ForwardPass pass;

    /** A block in float32: {@link #DicInferenceBlock(DicNet, NDManager, Precision)}. */
    public DicInferenceBlock(DicNet net, NDManager manager) {
        this(net, manager, Precision.FP32);
    }

    /**
     * @param net a DIC with its weights, which must not change while the block lives
     * @param manager the manager of the model that owns the block: the kept kernels live in it
     * @param precision what the convolutions compute in
     */
    public DicInferenceBlock(DicNet net, NDManager manager, Precision precision) {
        super(VERSION);
        this.net = addChildBlock("dic", net);
        this.pass = ForwardPass.of(manager, precision.mode());
        // inference only: without gradients PyTorch records no graph
        net.getParameters().values().forEach(p -> p.getArray().setRequiresGradient(false));
    }

    public DicNet network() {
        return net;
    }

    /** @return every step's SR batch, then every step's heatmap batch ({@link DicNet.Steps#of}) */
    @Override
    protected NDList forwardInternal(ParameterStore ignored, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return pass.forward(net, inputs, false);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return net.getOutputShapes(inputShapes);
    }
}
