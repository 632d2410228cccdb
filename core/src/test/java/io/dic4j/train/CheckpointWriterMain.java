package io.dic4j.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.dic4j.model.DicConfig;
import io.dic4j.model.DicNet;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes checkpoints of the paper-size DIC (about 90 MB) to one path in a loop, every weight set to the step
 * number, and prints "saved N" after each; {@link CheckpointKillTest} kills it mid-write.
 */
public final class CheckpointWriterMain {

    private CheckpointWriterMain() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        try (NDManager m = NDManager.newBaseManager()) {
            DicNet net = DicNet.builder().setConfig(DicConfig.PAPER).build();
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 16, 16));
            Adam adam = new Adam(Adam.Settings.PYTORCH);
            for (int step = 1; ; step++) {
                float value = step;
                net.getParameters().values().forEach(p -> p.getArray().set(
                        m.full(p.getArray().getShape(), value).toFloatArray()));
                Checkpoint.save(file, new Checkpoint.Part(net, adam), null, Map.of(),
                        new Checkpoint.State(step, 0, false, Double.NaN, 0));
                System.out.println("saved " + step);
                System.out.flush();
            }
        }
    }
}
