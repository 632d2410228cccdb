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
 * an adversary's (DICGAN's discriminator) weights under {@code netD.*} and its optimizer's under
 * {@code optimizer.netD.*}, and the training state as JSON metadata. Written atomically: a crash, even
 * {@code kill -9}, during a write leaves the previous checkpoint whole.
 *
 * <p>The sample stream needs no saved RNG: batch b is a pure function of (seed, b), so the seed and the step
 * restore it.
 *
 * @param state where training stands
 * @param weights the network's tensors
 * @param optimizer Adam's moments and per-parameter step counts
 * @param adversaryWeights the adversary's tensors, or null when the run has none
 * @param adversaryOptimizer the adversary's Adam state, or null
 */
public record Checkpoint(State state, StateDict weights, Adam.State optimizer, StateDict adversaryWeights,
        Adam.State adversaryOptimizer) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ADVERSARY_OPTIMIZER = StateDict.OPTIMIZER_PREFIX + StateDict.ADVERSARY_PREFIX;
    private static final String MEAN = "exp_avg.";
    private static final String VARIANCE = "exp_avg_sq.";
    private static final String STEPS = "optimizer_steps";
    private static final String ADVERSARY_STEPS = "adversary_optimizer_steps";

    /** A network and its optimizer. */
    public record Part(Block network, Adam adam) {}

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

    /**
     * Writes a checkpoint of the network, its adversary (or null) and the state, atomically.
     *
     * @param modelMetadata what makes the weights a loadable model file
     */
    public static void save(Path file, Part network, Part adversary, Map<String, String> modelMetadata, State state)
            throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>(StateDict.of(network.network(), Map.of()).tensors());
        ObjectNode meta = state.toJson();
        meta.set(STEPS, putOptimizer(tensors, StateDict.OPTIMIZER_PREFIX, network.adam().state()));
        if (adversary != null) {
            StateDict.of(adversary.network(), Map.of()).tensors()
                    .forEach((name, t) -> tensors.put(StateDict.ADVERSARY_PREFIX + name, t));
            meta.set(ADVERSARY_STEPS, putOptimizer(tensors, ADVERSARY_OPTIMIZER, adversary.adam().state()));
        }
        Map<String, String> metadata = new LinkedHashMap<>(modelMetadata);
        metadata.put(StateDict.CHECKPOINT_METADATA, JSON.writeValueAsString(meta));
        new StateDict(tensors, metadata, file.toString()).writeSafetensors(file);
    }

    /** Adds an optimizer's moments under {@code prefix}; returns its step counts as JSON. */
    private static JsonNode putOptimizer(Map<String, Tensor> tensors, String prefix, Adam.State opt) {
        opt.means().forEach((name, t) -> tensors.put(prefix + MEAN + name, t));
        opt.variances().forEach((name, t) -> tensors.put(prefix + VARIANCE + name, t));
        return JSON.valueToTree(opt.steps());
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
        Map<String, Tensor> weights = new LinkedHashMap<>();
        Map<String, Tensor> adversary = new LinkedHashMap<>();
        all.tensors().forEach((name, t) -> {
            if (name.startsWith(StateDict.ADVERSARY_PREFIX)) {
                adversary.put(name.substring(StateDict.ADVERSARY_PREFIX.length()), t);
            } else if (!name.startsWith(StateDict.OPTIMIZER_PREFIX)) {
                weights.put(name, t);
            }
        });
        Map<String, String> modelMetadata = new LinkedHashMap<>(all.metadata());
        modelMetadata.remove(StateDict.CHECKPOINT_METADATA);
        boolean hasAdversary = meta.has(ADVERSARY_STEPS);
        return new Checkpoint(State.fromJson(meta), new StateDict(weights, modelMetadata, file.toString()),
                optimizer(all, meta.get(STEPS), StateDict.OPTIMIZER_PREFIX),
                hasAdversary ? new StateDict(adversary, Map.of(), file.toString()) : null,
                hasAdversary ? optimizer(all, meta.get(ADVERSARY_STEPS), ADVERSARY_OPTIMIZER) : null);
    }

    private static Adam.State optimizer(StateDict all, JsonNode stepCounts, String prefix) {
        Map<String, Integer> steps = new LinkedHashMap<>();
        Map<String, Tensor> means = new LinkedHashMap<>();
        Map<String, Tensor> variances = new LinkedHashMap<>();
        stepCounts.fields().forEachRemaining(e -> {
            String name = e.getKey();
            steps.put(name, e.getValue().asInt());
            means.put(name, all.tensors().get(prefix + MEAN + name));
            variances.put(name, all.tensors().get(prefix + VARIANCE + name));
        });
        return new Adam.State(steps, means, variances);
    }
}
