package io.dic4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dic4j.data.LrResample;
import io.dic4j.model.DicConfig;
import io.dic4j.util.OptionFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The authors' train_DIC_*.json option files load as they are; every key is checked. */
class TrainOptionsTest {

    /** train_DIC_CelebA.json of the authors' repository, with its paths replaced, comments as in its README. */
    static final String CELEBA = """
            {
                "name": "DIC_CelebA", // experiment name
                "mode": "sr_align",
                "gpu_ids": [0, 1],
                "use_tb_logger": true,
                "scale": 8,
                "is_train": true,
                "rgb_range": 1,
                "save_image": true,
                "datasets": {
                    "train": {
                        "mode": "HRLandmark", "name": "CelebALandmarkTrain", "dataroot_HR": "celeba/img",
                        "info_path": "celeba/new_train_info_list.pkl", "data_type": "img", "n_workers": 8,
                        "batch_size": 8, "LR_size": 16, "HR_size": 128, "use_flip": false, "use_rot": false,
                        "sigma": 1
                    },
                    "val": {
                        "mode": "HRLandmark", "name": "CelebALandmarkVal", "dataroot_HR": "celeba/img",
                        "info_path": "celeba/new_val_info_list.pkl", "data_type": "img", "LR_size": 16,
                        "HR_size": 128, "sigma": 1
                    }
                },
                "networks": {
                    "which_model": "DIC", "num_features": 48, "in_channels": 3, "out_channels": 3,
                    "num_steps": 4, "num_groups": 6, "detach_attention": false, "hg_num_feature": 256,
                    "hg_num_keypoints": 68, "num_fusion_block": 7
                },
                "solver": {
                    "type": "ADAM", "learning_rate": 1e-4, "weight_decay": 0, "lr_scheme": "MultiStepLR",
                    "lr_steps": [1e4, 2e4, 4e4, 8e4], "lr_gamma": 0.5, "manual_seed": 0, "save_freq": 5e3,
                    "val_freq": 2e3, "niter": 1.5e5, "num_save_image": 20, "log_full_step": true,
                    "pretrain": false, "release_HG_grad_step": 2e3,
                    "HG_pretrained_path": "../models/FB_HG_68_CelebA.pth",
                    "loss": {
                        "pixel": {"loss_type": "l1", "weight": 1,},
                        "align": {"loss_type": "l2", "weight": 1e-1,}
                    }
                },
                "logger": {"print_freq": 250},
                "path": {"root": "../"}
            }
            """;

    @TempDir
    Path dir;

    TrainOptions read(String json, List<String> ignored) throws IOException {
        Path f = dir.resolve("o.json");
        Files.writeString(f, json);
        return TrainOptions.fromJson(OptionFiles.read(f), ignored);
    }

    @Test
    void theAuthorsCelebaFileIsThePaperRecipe() throws IOException {
        List<String> ignored = new ArrayList<>();
        TrainOptions o = read(CELEBA, ignored);
        assertEquals(DicConfig.PAPER, o.networks());
        TrainOptions.Solver s = o.solver();
        assertEquals(List.of(10000, 20000, 40000, 80000), s.lrSteps());
        assertEquals(150000, s.iterations());
        assertEquals(2000, s.valFreq());
        assertEquals(5000, s.saveFreq());
        assertEquals(2000, s.releaseHourglassStep());
        assertEquals(DicLoss.PAPER, s.loss());
        assertEquals(TrainOptions.Pretrain.NONE, s.pretrain());
        assertEquals(Path.of("../models/FB_HG_68_CelebA.pth"), s.hourglassPretrainedPath());
        assertEquals(8, o.train().batchSize());
        assertEquals(8, o.train().workers());
        assertEquals(Path.of("celeba/new_val_info_list.pkl"), o.val().annotations());
        assertEquals(250, o.printFreq());
        assertEquals(List.of("gpu_ids", "use_tb_logger", "is_train", "save_image", "solver.log_full_step"),
                ignored);
        // the reference's experiments/ folder under path.root, as its options.py puts it
        assertEquals(Path.of("../"), o.root());
        assertEquals(Path.of("../experiments/DIC_CelebA"), o.experimentDir());
        // the schedule and the freeze, as the reference steps them
        assertEquals(1e-4, s.schedule().rate(9999), 0);
        assertEquals(5e-5, s.schedule().rate(10000), 0);
        assertTrue(!s.hourglassTrains(1999));
        assertTrue(s.hourglassTrains(2000));
    }

    @Test
    void writtenBackItReadsTheSame() throws IOException {
        TrainOptions o = read(CELEBA, new ArrayList<>());
        List<String> ignored = new ArrayList<>();
        TrainOptions again = TrainOptions.fromJson(new ObjectMapper().readTree(o.toJson().toString()), ignored);
        assertEquals(o, again);
        assertEquals(List.of(), ignored);
    }

    @Test
    void theBuiltInModelsOptionFilesReadStrictlyWithTheirHeldOutSplit() throws IOException {
        for (String file : List.of("train_hourglass.json", "train_dic.json")) {
            List<String> ignored = new ArrayList<>();
            TrainOptions o = TrainOptions.fromJson(OptionFiles.read(Path.of("training/faces300w", file)), ignored);
            assertEquals(List.of(), ignored, file);
            Path split = Path.of("training/faces300w/val_list.txt");
            assertEquals(split, o.train().excludeList(), file);
            assertEquals(split, o.val().imageList(), file);
            assertNull(o.train().imageList(), file);
            assertEquals(Path.of("experiments", o.name()), o.experimentDir(), file + ": no path.root");
            assertEquals(o, TrainOptions.fromJson(new ObjectMapper().readTree(o.toJson().toString()),
                    new ArrayList<>()), file + " written back");
        }
    }

    @Test
    void helenAugmentationsAndMissingOptionalKeys() throws IOException {
        String helen = CELEBA.replace("\"use_flip\": false, \"use_rot\": false,",
                "\"distort\": [0.66, 1.33], \"use_flip\": true, \"use_rot\": true,")
                .replace("\"release_HG_grad_step\": 2e3,", "").replace("\"name\": \"DIC_CelebA\", // experiment name",
                        "\"name\": \"DIC_Helen\", \"_comment\": \"68 face landmarks\",");
        TrainOptions o = read(helen, new ArrayList<>());
        assertTrue(o.train().sampling().flip());
        assertTrue(o.train().sampling().rotate());
        assertEquals(0.66, o.train().sampling().distortMin());
        assertNull(o.solver().releaseHourglassStep(), "absent: frozen throughout, as in the reference");
        assertTrue(!o.solver().hourglassTrains(1_000_000));
    }

    @Test
    void keysWrittenOnlyWhereSetReadBackTheSame() throws IOException {
        String json = CELEBA.replace("\"use_flip\": false,", "\"distort\": [0.66, 1.33], \"use_flip\": false,")
                .replace("\"weight\": 1e-1,", "\"weight\": 1e-1, \"foreground_weight\": 4,")
                .replace("\"pretrain\": false,", "\"pretrain\": \"resume\", \"pretrained_path\": \"run/last.ckp\",");
        TrainOptions o = read(json, new ArrayList<>());
        assertEquals(TrainOptions.Pretrain.RESUME, o.solver().pretrain());
        assertEquals(4, o.solver().loss().align().foregroundWeight());
        assertEquals(o, TrainOptions.fromJson(new ObjectMapper().readTree(o.toJson().toString()), new ArrayList<>()));
        String plain = read(CELEBA, new ArrayList<>()).toJson().toString();
        assertTrue(!plain.contains("distort") && !plain.contains("foreground_weight"), plain);
    }

    @Test
    void unknownMissingAndWrongKeysAreNamed() {
        assertMessage(CELEBA.replace("\"val_freq\"", "\"val_frq\""), "solver.val_frq");
        assertMessage(CELEBA.replace("\"niter\": 1.5e5,", ""), "missing key: solver.niter");
        assertMessage(CELEBA.replace("\"niter\": 1.5e5", "\"niter\": 1.5"), "solver.niter must be a whole number");
        assertMessage(CELEBA.replace("\"loss_type\": \"l1\"", "\"loss_type\": \"ssim\""), "loss_type");
        assertMessage(CELEBA.replace("\"mode\": \"sr_align\"", "\"mode\": \"sr\""), "mode must be");
        assertMessage(CELEBA.replace("\"mode\": \"sr_align\"", "\"mode\": \"sr_align_gan\""), "missing key: net_D");
        assertMessage(CELEBA.replace("\"pretrain\": false", "\"pretrain\": \"resume\""), "pretrained_path");
        assertMessage(CELEBA.replace("\"num_groups\": 6", "\"num_groups\": 6, \"groups\": 6"), "groups");
        assertMessage(CELEBA.replace("\"sigma\": 1\n", "\"sigma\": 1, \"crop\": 3\n"), "datasets.train.crop");
    }

    @Test
    void lrResampleIsDicsOwnKeyOffByDefaultEverySubKeyNamedAndWrittenBack() throws IOException {
        assertNull(read(CELEBA, new ArrayList<>()).train().sampling().lrResample(), "absent: the paper's recipe");
        String key = "\"lr_resample\": {\"probability\": 0.5, \"max_rotation\": 5, \"max_scale\": 0.1,"
                + " \"max_shift\": 0.5},\n\"sigma\": 1\n";
        String resampled = CELEBA.replaceFirst("\"sigma\": 1\n", key);
        TrainOptions o = read(resampled, new ArrayList<>());
        assertEquals(new LrResample(0.5, 5, 0.1, 0.5), o.train().sampling().lrResample());
        assertNull(o.val().sampling().lrResample());
        List<String> ignored = new ArrayList<>();
        assertEquals(o, TrainOptions.fromJson(new ObjectMapper().readTree(o.toJson().toString()), ignored));
        assertEquals(List.of(), ignored);
        assertMessage(resampled.replace(", \"max_shift\": 0.5", ""),
                "missing key: datasets.train.lr_resample.max_shift");
        assertMessage(resampled.replace("\"max_shift\"", "\"max_shift\": 0.5, \"shear\""),
                "unknown key(s): datasets.train.lr_resample.shear");
        assertMessage(resampled.replace("\"max_rotation\": 5", "\"max_rotation\": 90"), "lr_resample.max_rotation");
        assertMessage(resampled.replace("\"use_flip\": false,", "\"use_flip\": false, \"distort\": [0.8, 1.2],"),
                "distort and lr_resample");
    }

    /** The authors' train_DICGAN_CelebA.json as published. */
    static final String DICGAN_CELEBA = """
            {
                "name": "DICGAN_CelebA",
                "_comment": "68 face landmarks, connect HG over steps by feature average between each stacks",
                "mode": "sr_align_gan", "gpu_ids": [0, 1], "use_tb_logger": true, "scale": 8, "is_train": true,
                "rgb_range": 1, "save_image": true,
                "datasets": {
                    "train": {"mode": "HRLandmark", "name": "CelebALandmarkTrain",
                        "dataroot_HR": "/home/jzy/datasets/SR_datasets/CelebA/img_celeba",
                        "info_path": "/home/jzy/datasets/SR_datasets/CelebA/new_train_info_list.pkl",
                        "data_type": "img", "n_workers": 8, "batch_size": 8, "LR_size": 16, "HR_size": 128,
                        "use_flip": false, "use_rot": false, "sigma": 1},
                    "val": {"mode": "HRLandmark", "name": "CelebALandmarkVal",
                        "dataroot_HR": "/home/jzy/datasets/SR_datasets/CelebA/img_celeba",
                        "info_path": "/home/jzy/datasets/SR_datasets/CelebA/new_val_info_list.pkl",
                        "data_type": "img", "LR_size": 16, "HR_size": 128, "sigma": 1}
                },
                "networks": {"which_model": "DIC", "num_features": 48, "in_channels": 3, "out_channels": 3,
                    "num_steps": 4, "num_groups": 6, "detach_attention": false, "hg_num_feature": 256,
                    "hg_num_keypoints": 68, "num_fusion_block": 7},
                "net_D": {"which_model_D": "LightCNN"},
                "net_F": {"which_model_F": "LightCNN"},
                "solver": {
                    "type": "ADAM", "learning_rate_G": 0.0001, "weight_decay_G": 0, "learning_rate_D": 0.0001,
                    "weight_decay_D": 0, "lr_scheme": "MultiStepLR", "lr_steps": [1e4, 2e4, 4e4], "lr_gamma": 0.5,
                    "manual_seed": 0, "save_freq": 2e3, "val_freq": 1e3, "niter": 8e4, "num_save_image": 20,
                    "log_full_step": true, "pretrain": true,
                    "extractor_pretrained_path": "../models/LightCNN_feature.pth",
                    "generator_pretrained_path": "../experiments/DIC_in3f48_x8_DIC_CelebA/epochs/best_ckp.pth",
                    "release_HG_grad_step": 2e6,
                    "loss": {
                        "pixel": {"loss_type": "l1", "weight": 1},
                        "align": {"loss_type": "l2", "weight": 1e-1},
                        "feature": {"loss_type": "l1", "weight": 0.1},
                        "GAN": {"loss_type": "GAN", "gan_type": "vanilla", "weight": 0.005}
                    }
                },
                "logger": {"print_freq": 250},
                "path": {"root": "../"}
            }
            """;

    @Test
    void theAuthorsDicganFileLoadsAsTheirRecipe() throws IOException {
        List<String> ignored = new ArrayList<>();
        TrainOptions o = read(DICGAN_CELEBA, ignored);
        assertEquals(DicConfig.PAPER, o.networks());
        assertEquals(DicLoss.PAPER, o.solver().loss());
        assertEquals(1e-4, o.solver().learningRate());
        assertEquals(TrainOptions.Pretrain.FINETUNE, o.solver().pretrain());
        assertEquals(Path.of("../experiments/DIC_in3f48_x8_DIC_CelebA/epochs/best_ckp.pth"),
                o.solver().pretrainedPath(), "generator_pretrained_path stands for pretrained_path");
        assertEquals(new TrainOptions.Gan(1e-4, 0, Path.of("../models/LightCNN_feature.pth"),
                new DicLoss.Term(DicLoss.Kind.L1, 0.1), 0.005), o.gan());
        assertEquals(List.of("gpu_ids", "use_tb_logger", "is_train", "save_image", "_comment",
                "solver.log_full_step"), ignored);
        assertEquals(o, TrainOptions.fromJson(new ObjectMapper().readTree(o.toJson().toString()), new ArrayList<>()),
                "written back");
    }

    @Test
    void dicganTakesAnySubsetOfLossesButAFeatureLossNeedsItsExtractor() throws IOException {
        String noFeature = DICGAN_CELEBA.replace("\"feature\": {\"loss_type\": \"l1\", \"weight\": 0.1},", "")
                .replace("\"pixel\": {\"loss_type\": \"l1\", \"weight\": 1},", "");
        TrainOptions o = read(noFeature, new ArrayList<>());
        assertNull(o.gan().feature());
        assertNull(o.solver().loss().pixel());
        assertEquals(0.005, o.gan().adversarialWeight());
        assertMessage(DICGAN_CELEBA.replace("\"extractor_pretrained_path\": \"../models/LightCNN_feature.pth\",", ""),
                "solver.extractor_pretrained_path");
        assertMessage(DICGAN_CELEBA.replace("\"gan_type\": \"vanilla\"", "\"gan_type\": \"lsgan\""), "gan_type");
        assertMessage(DICGAN_CELEBA.replace("\"which_model_D\": \"LightCNN\"", "\"which_model_D\": \"UNetF\""),
                "which_model_D");
    }

    private void assertMessage(String json, String expected) {
        Exception e = assertThrows(IllegalArgumentException.class, () -> read(json, new ArrayList<>()));
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' names " + expected);
    }

    @Test
    void aSyntaxErrorNamesTheLine() {
        IOException e = assertThrows(IOException.class, () -> read("{\n  \"name\": \"x\"\n  \"mode\": 1\n}", null));
        assertTrue(e.getMessage().contains("o.json:3:"), e.getMessage());
    }
}
