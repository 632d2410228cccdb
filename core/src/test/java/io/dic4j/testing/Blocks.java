package io.dic4j.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

/** Reaching into a network's children by name, to test blocks one by one. */
public final class Blocks {

    private Blocks() {}

    /** The child at a dotted path of names (without DJL's two-digit prefixes). */
    public static Block child(Block block, String path) {
        Block b = block;
        for (String name : path.split("\\.")) {
            Block found = null;
            for (Pair<String, Block> c : b.getChildren()) {
                if (c.getKey().substring(2).equals(name)) {
                    found = c.getValue();
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("no child " + name + " in " + path);
            }
            b = found;
        }
        return b;
    }

    public static NDList run(Block block, ParameterStore ps, NDArray... inputs) {
        return block.forward(ps, new NDList(inputs), false);
    }
}
