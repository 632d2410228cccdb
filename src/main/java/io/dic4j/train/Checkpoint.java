package io.dic4j.train;

import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dic4j.weights.StateDict;
import io.dic4j.weights.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A training checkpoint: one safetensors file with the weights under their PyTorch names (so any command loads
 * it as a model), the optimizer's moments under {@code optimizer.exp_avg.*} / {@code optimizer.exp_avg_sq.*},
 * and the training state as JSON metadata. Written atomically: a crash, even {@code kill -9}, during a write
 * leaves the previous checkpoint whole.
 *
 * <p>The sample stream needs no saved RNG: batch b is a pure function of (seed, b), so the seed and the step
 * restore it.
 *
 * @param state where training stands
 * @param weights the network's tensors
 * @param optimizer Adam's moments and per-parameter step counts
 */
public record Checkpoint(State state, StateDict weights, Adam.State optimizer) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MEAN = StateDict.OPTIMIZER_PREFIX + "exp_avg.";
    private static final String VARIANCE = StateDict.OPTIMIZER_PREFIX + "exp_avg_sq.";

    /**
     * Where training stands.
     *
     * @param step iterations done
     * @param seed the data seed ({@code manual_seed})
     * @param hourglassFrozen whether the hourglass was frozen in the last iteration
     * @param best the best validation score so far (NaN before the first validation)
     * @param bestStep the step of that score (0 before)
     */
    public record State(long step, long seed, boolean hourglassFrozen, double best, long bestStep) {

        ObjectNode toJson() {
            ObjectNode o = JSON.createObjectNode();
            o.put("step", step);
            o.put("seed", seed);
            o.put("hourglass_frozen", hourglassFrozen);
            if (Double.isNaN(best)) {
                o.putNull("best");
            } else {
                o.put("best", best);
            }
            o.put("best_step", bestStep);
            return o;
        }

        static State fromJson(JsonNode o) {
            JsonNode best = o.get("best");
            return new State(o.get("step").asLong(), o.get("seed").asLong(), o.get("hourglass_frozen").asBoolean(),
                    best == null || best.isNull() ? Double.NaN : best.asDouble(),
                    o.get("best_step").asLong());
        }
    }

    /** Writes a checkpoint of the block, the optimizer and the state, atomically. */
    public static void save(Path file, Block network, Map<String, String> modelMetadata, Adam adam, State state)
            throws IOException {
        StateDict model = StateDict.of(network, Map.of());
        Adam.State opt = adam.state();
        Map<String, Tensor> tensors = new LinkedHashMap<>(model.tensors());
        opt.means().forEach((name, t) -> tensors.put(MEAN + name, t));
        opt.variances().forEach((name, t) -> tensors.put(VARIANCE + name, t));
        ObjectNode meta = state.toJson();
        meta.set("optimizer_steps", JSON.valueToTree(opt.steps()));
        Map<String, String> metadata = new LinkedHashMap<>(modelMetadata);
        metadata.put(StateDict.CHECKPOINT_METADATA, JSON.writeValueAsString(meta));
        new StateDict(tensors, metadata, file.toString()).writeSafetensors(file);
    }

    /** Reads a checkpoint written by {@link #save}. */
    public static Checkpoint read(Path file) throws IOException {
        StateDict all = StateDict.readWithOptimizer(file);
        String json = all.metadata().get(StateDict.CHECKPOINT_METADATA);
        if (json == null) {
            throw new IOException(file + ": not a dic4j training checkpoint (no " + StateDict.CHECKPOINT_METADATA
                    + " metadata); to start from its weights, use it as pretrained_path with pretrain: true");
        }
        JsonNode meta = JSON.readTree(json);
        Map<String, Integer> steps = new LinkedHashMap<>();
        meta.get("optimizer_steps").fields().forEachRemaining(e -> steps.put(e.getKey(), e.getValue().asInt()));
        Map<String, Tensor> weights = new LinkedHashMap<>();
        Map<String, Tensor> means = new LinkedHashMap<>();
        Map<String, Tensor> variances = new LinkedHashMap<>();
        all.tensors().forEach((name, t) -> {
            if (name.startsWith(MEAN)) {
                means.put(name.substring(MEAN.length()), t);
            } else if (name.startsWith(VARIANCE)) {
                variances.put(name.substring(VARIANCE.length()), t);
            } else {
                weights.put(name, t);
            }
        });
        Map<String, String> modelMetadata = new LinkedHashMap<>(all.metadata());
        modelMetadata.remove(StateDict.CHECKPOINT_METADATA);
        return new Checkpoint(State.fromJson(meta), new StateDict(weights, modelMetadata, file.toString()),
                new Adam.State(steps, means, variances));
    }
}
