package io.dic4j.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

/**
 * A block made only of children whose parameter shapes are fixed at construction ({@link ConvLayer}s and
 * other composites), so initialisation needs no shape inference.
 */
public abstract class CompositeBlock extends ScopedBlock {

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Pair<String, Block> child : getChildren()) {
            child.getValue().initialize(manager, dataType, inputShapes);
        }
    }

    /** Runs a single-input, single-output child. */
    protected static NDArray run(Block child, ParameterStore ps, NDArray x, boolean training) {
        return child.forward(ps, new NDList(x), training).singletonOrThrow();
    }
}
