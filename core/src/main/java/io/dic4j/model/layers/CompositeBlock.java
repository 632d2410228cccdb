package io.dic4j.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A block made only of children whose parameter shapes are fixed at construction ({@link ConvLayer}s and
 * other composites), so initialisation needs no shape inference. Each child is added with the name the reference's
 * PyTorch module gives it, which {@code io.dic4j.weights.StateDictNames} joins into state_dict names.
 */
public abstract class CompositeBlock extends ScopedBlock {

    private final Map<String, String> torchNames = new HashMap<>();

    /**
     * Adds a child that we call {@code name} and the reference's module calls {@code torchName}: a dotted path inside
     * this block's module, e.g. {@code "upBlocks.0.0"} for the conv that starts a {@code Sequential}.
     */
    protected final <B extends Block> B addChildBlock(String name, String torchName, B block) {
        torchNames.put(name, torchName);
        return addChildBlock(name, block);
    }

    /** The reference's name of the child we call {@code name}; empty where none was given. */
    public final Optional<String> torchName(String name) {
        return Optional.ofNullable(torchNames.get(name));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (Pair<String, Block> child : getChildren()) {
            child.getValue().initialize(manager, dataType, inputShapes);
        }
    }

    /** The shape of {@code child}'s (first) output for an input of {@code shape}. */
    protected static Shape output(Block child, Shape shape) {
        return child.getOutputShapes(new Shape[] {shape})[0];
    }

    /** {@code shape} with {@code channels} channels. */
    protected static Shape withChannels(Shape shape, long channels) {
        return new Shape(shape.get(0), channels, shape.get(2), shape.get(3));
    }

    /** Runs a single-input, single-output child. */
    protected static NDArray run(Block child, ParameterStore ps, NDArray x, boolean training) {
        return run(child, ps, new NDList(x), training).singletonOrThrow();
    }

    /** Runs a child. */
    protected static NDList run(Block child, ParameterStore ps, NDList inputs, boolean training) {
        return child.forward(ps, inputs, training);
    }
}
