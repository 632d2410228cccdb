package io.dic4j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.dic4j.model.DicConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The authors' test option file ({@code test_DIC_CelebA.json}): its datasets, its network and its weights.
 * Keys that mean nothing here ({@code gpu_ids}, {@code save_image}…) are reported as ignored; unknown keys are
 * errors. Relative paths resolve against the working directory, as the reference's do.
 *
 * @param datasets the test sets, in file order
 * @param networks the network config, or null when the file has no {@code networks} section
 * @param pretrained {@code solver.pretrained_path}, or null
 * @param name {@code name}, or null
 * @param root {@code path.root}, under which the reference keeps its {@code results/}, or null
 */
public record TestOptions(List<TestSet> datasets, DicConfig networks, Path pretrained, String name, Path root) {

    /**
     * One entry of {@code datasets}.
     *
     * @param name its {@code name} (the output sub-folder when there are several)
     * @param hr {@code dataroot_HR}, or null for LR-only sets
     * @param lr {@code dataroot_LR}, or null: LR made from HR by the reference chain
     * @param annotations {@code info_path} (HRLandmark sets), or null
     */
    public record TestSet(String name, Path hr, Path lr, Path annotations) {}

    private static final Set<String> IGNORED = Set.of("mode", "degradation", "gpu_ids", "use_tb_logger",
            "is_train", "save_image", "use_chop", "self_ensemble", "_comment");
    private static final Set<String> USED = Set.of("name", "scale", "rgb_range", "datasets", "networks", "solver",
            "path");
    private static final Set<String> DATASET_IGNORED = Set.of("mode", "data_type", "phase", "n_workers",
            "batch_size", "use_flip", "use_rot", "sigma", "distort", "noise", "_comment");
    private static final Set<String> DATASET_USED = Set.of("name", "dataroot_HR", "dataroot_LR", "info_path",
            "LR_size", "HR_size");
    private static final Map<String, Integer> SIZES = Map.of("LR_size", 16, "HR_size", 128);

    /**
     * @param ignored receives the keys that were accepted but mean nothing here
     * @throws IllegalArgumentException naming the unknown or invalid key
     */
    public static TestOptions fromJson(JsonNode root, List<String> ignored) {
        check(root, "", IGNORED, USED, ignored);
        if (root.has("scale") && root.get("scale").asInt() != 8) {
            throw new IllegalArgumentException("scale must be 8 for DIC, got " + root.get("scale"));
        }
        if (root.has("rgb_range") && root.get("rgb_range").asDouble() != 1.0) {
            throw new IllegalArgumentException("rgb_range must be 1 (images scaled to 0..1), got " + root.get("rgb_range"));
        }
        if (!root.has("datasets") || !root.get("datasets").isObject() || root.get("datasets").isEmpty()) {
            throw new IllegalArgumentException("missing key: datasets (an object of test sets)");
        }
        List<TestSet> sets = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.get("datasets").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String where = "datasets." + e.getKey() + ".";
            JsonNode d = e.getValue();
            check(d, where, DATASET_IGNORED, DATASET_USED, ignored);
            SIZES.forEach((key, size) -> {
                if (d.has(key) && d.get(key).asInt() != size) {
                    throw new IllegalArgumentException(where + key + " must be " + size + " for DIC, got " + d.get(key));
                }
            });
            Path hr = path(d, "dataroot_HR");
            Path lr = path(d, "dataroot_LR");
            if (hr == null && lr == null) {
                throw new IllegalArgumentException(where + "dataroot_HR or dataroot_LR is required");
            }
            String name = d.has("name") ? d.get("name").asText() : e.getKey();
            sets.add(new TestSet(name, hr, lr, path(d, "info_path")));
        }
        DicConfig networks = root.has("networks") ? DicConfig.fromJson(root.get("networks"), ignored) : null;
        Path pretrained = null;
        if (root.has("solver")) {
            JsonNode solver = root.get("solver");
            solver.fieldNames().forEachRemaining(k -> {
                if (!k.equals("pretrained_path")) {
                    ignored.add("solver." + k);
                }
            });
            pretrained = path(solver, "pretrained_path");
        }
        Path pathRoot = null;
        if (root.has("path")) {
            check(root.get("path"), "path.", Set.of(), Set.of("root"), ignored);
            pathRoot = path(root.get("path"), "root");
        }
        return new TestOptions(List.copyOf(sets), networks, pretrained, root.has("name") ? root.get("name").asText()
                : null, pathRoot);
    }

    /**
     * Where the results go without {@code -o}: {@code <path.root>/results/<name>} as in the reference; null when
     * the file has no {@code path.root} or no {@code name}.
     */
    public Path resultsDir() {
        return root == null || name == null ? null : root.resolve("results").resolve(name);
    }

    private static void check(JsonNode node, String where, Set<String> ignoredKeys, Set<String> used,
            List<String> ignored) {
        if (!node.isObject()) {
            throw new IllegalArgumentException((where.isEmpty() ? "the option file" : where) + " must be a JSON object");
        }
        List<String> unknown = new ArrayList<>();
        node.fieldNames().forEachRemaining(k -> {
            if (ignoredKeys.contains(k)) {
                ignored.add(where + k);
            } else if (!used.contains(k)) {
                unknown.add(where + k);
            }
        });
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown key(s): " + String.join(", ", unknown));
        }
    }

    private static Path path(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? null : Path.of(v.asText());
    }
}
