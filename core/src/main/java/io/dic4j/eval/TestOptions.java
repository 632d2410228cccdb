package io.dic4j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import io.dic4j.model.DicConfig;
import io.dic4j.util.JsonSection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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

    private static final String[] IGNORED = {"mode", "degradation", "gpu_ids", "use_tb_logger", "is_train",
        "save_image", "use_chop", "self_ensemble", "_comment"};
    private static final String[] DATASET_IGNORED = {"mode", "data_type", "phase", "n_workers", "batch_size",
        "use_flip", "use_rot", "sigma", "distort", "noise", "_comment"};

    /**
     * @param ignored receives the keys that were accepted but mean nothing here
     * @throws IllegalArgumentException naming the unknown or invalid key (see {@link JsonSection})
     */
    public static TestOptions fromJson(JsonNode root, List<String> ignored) {
        JsonSection top = new JsonSection(root, "", ignored);
        top.ignore(IGNORED);
        top.expect("scale", 8);
        top.expect("rgb_range", 1);
        String name = top.optionalText("name");
        JsonSection datasets = top.section("datasets");
        List<TestSet> sets = new ArrayList<>();
        root.get("datasets").fieldNames().forEachRemaining(key -> sets.add(testSet(datasets, key, ignored)));
        datasets.finish();
        if (sets.isEmpty()) {
            throw new IllegalArgumentException("datasets must name at least one test set");
        }
        DicConfig networks = top.has("networks") ? DicConfig.fromJson(top.raw("networks"), ignored) : null;
        top.raw("networks");
        Path pretrained = null;
        if (top.has("solver")) {
            JsonSection solver = top.section("solver");
            pretrained = solver.optionalPath("pretrained_path");
            root.get("solver").fieldNames().forEachRemaining(solver::ignore);
            solver.finish();
        }
        Path pathRoot = null;
        if (top.has("path")) {
            JsonSection path = top.section("path");
            pathRoot = path.optionalPath("root");
            path.finish();
        }
        top.finish();
        return new TestOptions(List.copyOf(sets), networks, pretrained, name, pathRoot);
    }

    private static TestSet testSet(JsonSection datasets, String key, List<String> ignored) {
        JsonSection d = datasets.section(key);
        d.ignore(DATASET_IGNORED);
        d.expect("LR_size", 16);
        d.expect("HR_size", 128);
        Path hr = d.optionalPath("dataroot_HR");
        Path lr = d.optionalPath("dataroot_LR");
        if (hr == null && lr == null) {
            throw new IllegalArgumentException("datasets." + key + ".dataroot_HR or dataroot_LR is required");
        }
        String name = d.optionalText("name");
        TestSet set = new TestSet(name != null ? name : key, hr, lr, d.optionalPath("info_path"));
        d.finish();
        return set;
    }

    /**
     * Where the results go without {@code -o}: {@code <path.root>/results/<name>} as in the reference; null when
     * the file has no {@code path.root} or no {@code name}.
     */
    public Path resultsDir() {
        return root == null || name == null ? null : root.resolve("results").resolve(name);
    }
}
