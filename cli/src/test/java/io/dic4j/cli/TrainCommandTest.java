package io.dic4j.cli;

import static io.dic4j.cli.UpscaleCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dic4j.data.FaceDataset;
import io.dic4j.data.SyntheticFaces;
import io.dic4j.data.FaceBox;
import io.dic4j.image.Images;
import io.dic4j.infer.LandmarkDetector;
import io.dic4j.train.Checkpoint;
import io.dic4j.train.Trainer;
import io.dic4j.train.TrainingRun;
import io.dic4j.weights.StateDict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dic4j train, train-landmarks and landmarks from the command line, on synthetic faces. */
class TrainCommandTest {

    @TempDir
    Path dir;

    /** A tiny run's option file over dir/train and dir/val. */
    Path config(int iterations) throws Exception {
        SyntheticFaces.write(dir.resolve("train"), 8, 1, 160);
        SyntheticFaces.write(dir.resolve("val"), 4, 2, 160);
        String json = String.format(Locale.ROOT, """
                {"name": "tiny", "mode": "sr_align", "scale": 8, "gpu_ids": [0],
                 "datasets": {
                   "train": {"mode": "HRLandmark", "name": "train", "dataroot_HR": "%1$s/train",
                             "info_path": "%1$s/train/bboxes.csv", "n_workers": 1, "batch_size": 2,
                             "LR_size": 16, "HR_size": 128, "sigma": 1},
                   "val": {"mode": "HRLandmark", "name": "val", "dataroot_HR": "%1$s/val",
                           "info_path": "%1$s/val/bboxes.csv", "LR_size": 16, "HR_size": 128}},
                 "networks": {"which_model": "DIC", "num_features": 8, "in_channels": 3, "out_channels": 3,
                              "num_steps": 2, "num_groups": 1, "detach_attention": false, "hg_num_feature": 16,
                              "hg_num_keypoints": 68, "num_fusion_block": 1},
                 "solver": {"type": "ADAM", "learning_rate": 2e-3, "lr_steps": [100], "lr_gamma": 0.5,
                            "manual_seed": 1, "save_freq": %2$d, "val_freq": %2$d, "niter": %2$d,
                            "num_save_image": 2, "pretrain": false, "release_HG_grad_step": 0,
                            "loss": {"pixel": {"loss_type": "l1", "weight": 1},
                                     "align": {"loss_type": "l2", "weight": 0.1}}},
                 "logger": {"print_freq": 1}, "path": {"root": "%1$s/root"}}
                """, dir, iterations);
        Path f = dir.resolve("options.json");
        Files.writeString(f, json);
        return f;
    }

    @Test
    void trainWritesTheRunAndRefusesToOverwriteIt() throws Exception {
        Path config = config(2);
        Path out = dir.resolve("run");
        UpscaleCommandTest.Run r = run("train", "--config", config.toString(), "-o", out.toString(),
                "--no-progress");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("note: " + config + ": ignored (nothing to do here): gpu_ids"), r.err());
        assertTrue(r.err().contains("trained 2 iterations into " + out), r.err());
        assertTrue(Files.isRegularFile(out.resolve(Trainer.MODEL)));
        assertTrue(Files.isRegularFile(out.resolve(TrainingRun.OPTIONS)));
        assertFalse(Files.exists(dir.resolve("root")), "-o wins over path.root");
        // the trained model is a model file for the other commands
        UpscaleCommandTest.Run up = run("upscale", dir.resolve("val").resolve("face_0000.png").toString(), "-o",
                dir.resolve("up").toString(), "--model", out.resolve(Trainer.MODEL).toString());
        assertEquals(0, up.exitCode(), up.err());
        // so is a checkpoint (its optimizer tensors are left out)
        UpscaleCommandTest.Run fromCheckpoint = run("upscale", dir.resolve("val").resolve("face_0000.png").toString(),
                "-o", dir.resolve("up2").toString(), "--model",
                out.resolve(Trainer.CHECKPOINTS).resolve(Trainer.BEST).toString());
        assertEquals(0, fromCheckpoint.exitCode(), fromCheckpoint.err());

        UpscaleCommandTest.Run again = run("train", "--config", config.toString(), "-o", out.toString(),
                "--no-progress");
        assertEquals(1, again.exitCode());
        assertTrue(again.err().contains("already holds a run; continue it with --resume"), again.err());
        // the options dic4j wrote are an option file too
        UpscaleCommandTest.Run fromOwn = run("train", "--config", out.resolve(TrainingRun.OPTIONS).toString(), "-o",
                dir.resolve("run2").toString(), "--no-progress");
        assertEquals(0, fromOwn.exitCode(), fromOwn.err());
    }

    @Test
    void aRunWithoutValidationSaysSoAndShowsItsProgressAsLines() throws Exception {
        Path config = config(2);
        Files.writeString(config, Files.readString(config).replace("\"val_freq\": 2", "\"val_freq\": 100"));
        // without -o the run goes where the reference puts it: <path.root>/experiments/<name>
        UpscaleCommandTest.Run r = run("train", "--config", config.toString());
        assertEquals(0, r.exitCode(), r.err());
        Path expected = dir.resolve("root").resolve("experiments").resolve("tiny");
        assertTrue(r.err().contains("trained 2 iterations into " + expected), r.err());
        assertTrue(Files.isRegularFile(expected.resolve(Trainer.MODEL)), r.err());
        assertTrue(r.err().contains("; no validation ran"), r.err());
        assertFalse(r.err().contains("NaN"), r.err());
        // no console: a plain line with the count and the step's losses, no carriage-return frames
        assertTrue(r.err().contains("train: 2/2 steps (100%), "), r.err());
        assertTrue(r.err().contains(", lr 2.0e-03"), r.err());
        assertFalse(r.err().contains("\r"), r.err());
    }

    @Test
    void aLossThatTurnsNaNStopsTheRunNamingTheStepAndTheLastGoodCheckpoint() throws Exception {
        Path config = config(3);
        // Adam moves every weight by about the learning rate, 1e37, in the first step: the second step overflows
        Files.writeString(config, Files.readString(config).replace("\"learning_rate\": 2e-3", "\"learning_rate\": 1e37")
                .replace("\"save_freq\": 3", "\"save_freq\": 1").replace("\"val_freq\": 3", "\"val_freq\": 100"));
        Path out = dir.resolve("run");
        UpscaleCommandTest.Run r = run("train", "--config", config.toString(), "-o", out.toString(), "--quiet");

        assertEquals(ExitCodes.FAILED, r.exitCode(), r.err());
        Path last = out.resolve(Trainer.CHECKPOINTS).resolve(Trainer.LAST);
        assertTrue(Pattern.compile("error: training diverged: loss_\\w+ is (NaN|Infinity) at step 2; no checkpoint"
                + " of it was written. The last good checkpoint: " + Pattern.quote(last + " (step 1)")).matcher(r.err())
                .find(), r.err());
        // the step-1 checkpoint is whole and finite (a read refuses NaN weights), and no model was written
        assertEquals(1, Checkpoint.read(last).state().step());
        assertFalse(Files.exists(out.resolve(Trainer.MODEL)));
    }

    @Test
    void badOptionFilesAreUsageErrors() throws Exception {
        Path config = config(2);
        Files.writeString(config, Files.readString(config).replace("\"niter\"", "\"n_iter\""));
        UpscaleCommandTest.Run r = run("train", "--config", config.toString(), "-o", dir.resolve("x").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("missing key: solver.niter (a misspelling? found solver.n_iter)"), r.err());
        UpscaleCommandTest.Run none = run("train", "--config", dir.resolve("nope.json").toString());
        assertEquals(2, none.exitCode());
        assertTrue(none.err().contains("nope.json: no such file"), none.err());
    }

    @Test
    void landmarkPretrainingThenLabellingUnannotatedFaces() throws Exception {
        Path config = config(40);
        Path out = dir.resolve("hg");
        UpscaleCommandTest.Run r = run("train-landmarks", "--config", config.toString(), "-o", out.toString(),
                "--no-progress");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("best NME"), r.err());
        Path labels = dir.resolve("labels");
        UpscaleCommandTest.Run l = run("landmarks", dir.resolve("val").toString(), "-o", labels.toString(),
                "--model", out.resolve(Trainer.MODEL).toString());
        assertEquals(0, l.exitCode(), l.err());
        assertTrue(Files.isRegularFile(labels.resolve("face_0000.pts")));
        // the labels open as a training set (the authors' info-list format), 68 points inside each image
        FaceDataset labelled = FaceDataset.open(labels.resolve(LandmarksCommand.INFO_LIST), dir.resolve("val"));
        assertEquals(4, labelled.size());
        assertEquals(68, labelled.landmarkCount());
        // each face's points are the detector's, mapped into the face's own 160x160 pixels
        try (LandmarkDetector detector = LandmarkDetector.load(out.resolve(Trainer.MODEL))) {
            for (int i = 0; i < 4; i++) {
                double[][] p = labelled.get(i).landmarks();
                float[][] expected = detector.detect(List.of(Images.readRgb(labelled.get(i).image()))).get(0);
                for (int k = 0; k < 68; k++) {
                    assertTrue(p[k][0] >= 0 && p[k][0] < 160 && p[k][1] >= 0 && p[k][1] < 160, "inside the image");
                    // sub-pixel peaks of heatmaps computed in another batch: equal to float rounding
                    assertEquals(expected[k][0], p[k][0], 1e-2);
                    assertEquals(expected[k][1], p[k][1], 1e-2);
                }
                assertEquals(FaceBox.around(p), labelled.get(i).box());
            }
        }
    }

    @Test
    void stackedHourglassTrainingUpdatesBatchNormThenEvaluates() throws Exception {
        Path config = config(6);
        Path out = dir.resolve("stacked");
        UpscaleCommandTest.Run r = run("train-landmarks", "--arch", "stacked", "--config", config.toString(), "-o",
                out.toString(), "--no-progress");
        assertEquals(0, r.exitCode(), r.err());
        StateDict model = StateDict.read(out.resolve(Trainer.MODEL));
        // PyTorch's names; every training forward counted by each batch-norm, validation's not
        assertEquals(6f, model.tensors().get("hg3_lin1.conv_block.1.num_batches_tracked").values()[0]);
        float[] var = model.tensors().get("pre_conv_block.1.running_var").values();
        assertTrue(var[0] != 1f, "running variance still at its initial 1");
        UpscaleCommandTest.Run e = run("eval-landmarks", "--images", dir.resolve("val").toString(), "--annotations",
                dir.resolve("val").resolve("bboxes.csv").toString(), "--model", out.resolve(Trainer.MODEL).toString(),
                "-o", dir.resolve("eval").toString());
        assertEquals(0, e.exitCode(), e.err());
        assertTrue(Files.isRegularFile(dir.resolve("eval").resolve("landmark_average_result.txt")));
    }
}
