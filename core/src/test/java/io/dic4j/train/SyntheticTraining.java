package io.dic4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dic4j.data.SyntheticFaces;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Small training runs on synthetic faces: option files and datasets written into a temp folder. */
final class SyntheticTraining {

    static final int FACE_CANVAS = 160;

    private SyntheticTraining() {}

    /** Writes a train set (seed 1) and a held-out validation set (seed 2) under {@code dir}. */
    static void writeFaces(Path dir, int train, int val) throws IOException {
        SyntheticFaces.write(dir.resolve("train"), train, 1, FACE_CANVAS);
        SyntheticFaces.write(dir.resolve("val"), val, 2, FACE_CANVAS);
    }

    /**
     * Options of a tiny DIC (F 8, G 1, T 2, H 32, B 1: fast on CPU) on those faces, in the authors' format.
     * Heatmaps of σ 3 and an align weight of 1 let the hourglass learn from scratch within a few hundred
     * iterations; with the paper's σ 1 and 0.1 it first collapses to flat maps (every peak at (0, 0), measured).
     *
     * @param release release_HG_grad_step, or null for none (frozen throughout)
     */
    static String json(Path dir, int iterations, int valFreq, int saveFreq, int printFreq, double lr,
            Integer release, int batch) {
        return String.format(Locale.ROOT, """
                {
                  "name": "synthetic", "mode": "sr_align", "gpu_ids": [0], "use_tb_logger": false, "scale": 8,
                  "is_train": true, "rgb_range": 1, "save_image": true,
                  "datasets": {
                    "train": {"mode": "HRLandmark", "name": "train", "dataroot_HR": "%1$s/train",
                              "info_path": "%1$s/train/bboxes.csv", "data_type": "img", "n_workers": 2,
                              "batch_size": %8$d, "LR_size": 16, "HR_size": 128, "use_flip": false,
                              "use_rot": false, "sigma": 3},
                    "val": {"mode": "HRLandmark", "name": "val", "dataroot_HR": "%1$s/val",
                            "info_path": "%1$s/val/bboxes.csv", "data_type": "img", "LR_size": 16,
                            "HR_size": 128, "sigma": 3}
                  },
                  "networks": {"which_model": "DIC", "num_features": 8, "in_channels": 3, "out_channels": 3,
                               "num_steps": 2, "num_groups": 1, "detach_attention": false,
                               "hg_num_feature": 32, "hg_num_keypoints": 68, "num_fusion_block": 1},
                  "solver": {"type": "ADAM", "learning_rate": %6$s, "weight_decay": 0, "lr_scheme": "MultiStepLR",
                             "lr_steps": [%2$d], "lr_gamma": 0.5, "manual_seed": 7, "save_freq": %4$d,
                             "val_freq": %3$d, "niter": %2$d, "num_save_image": 4, "log_full_step": true,
                             "pretrain": false, %7$s
                             "loss": {"pixel": {"loss_type": "l1", "weight": 1},
                                      "align": {"loss_type": "l2", "weight": 1}}},
                  "logger": {"print_freq": %5$d},
                  "path": {"root": "../"}
                }
                """, dir, iterations, valFreq, saveFreq, printFreq, lr,
                release == null ? "" : "\"release_HG_grad_step\": " + release + ",", batch);
    }

    static TrainOptions options(String json) throws IOException {
        return TrainOptions.fromJson(new ObjectMapper().readTree(json), new ArrayList<>());
    }

    /** The log's lines of one type. */
    static List<JsonNode> lines(Path out, String type) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String l : java.nio.file.Files.readAllLines(out.resolve(Trainer.LOG))) {
            JsonNode n = new ObjectMapper().readTree(l);
            if (n.get("type").asText().equals(type)) {
                lines.add(n);
            }
        }
        return lines;
    }
}
