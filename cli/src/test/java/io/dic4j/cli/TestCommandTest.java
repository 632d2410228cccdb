package io.dic4j.cli;

import static io.dic4j.cli.UpscaleCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dic4j.data.FaceDataset;
import io.dic4j.data.FaceLoader;
import io.dic4j.data.FaceSample;
import io.dic4j.data.LrResample;
import io.dic4j.data.SampleMaker;
import io.dic4j.data.SampleOptions;
import io.dic4j.data.SyntheticFaces;
import io.dic4j.eval.Evaluation;
import io.dic4j.image.Images;
import io.dic4j.image.PilResize;
import io.dic4j.infer.LandmarkDetector;
import io.dic4j.metrics.ImageQuality;
import io.dic4j.metrics.MetricMode;
import io.dic4j.metrics.Nme;
import io.dic4j.testing.Fixtures;
import io.dic4j.testing.Pngs;
import io.dic4j.testing.SharedData;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dic4j test} end to end on synthetic faces (and on the 300-W faces when ../shared is there). */
class TestCommandTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path faces;

    @TempDir
    Path out;

    static FaceDataset dataset;

    @BeforeAll
    static void writeFaces() throws IOException {
        dataset = SyntheticFaces.write(faces, 5, 3, 160);
    }

    private static String csv() {
        return faces.resolve("bboxes.csv").toString();
    }

    private static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    @Test
    void bicubicWritesTheReferenceFilesWithScoresRecomputedHere() throws IOException {
        UpscaleCommandTest.Run r = run("test", "--hr", faces.toString(), "--annotations", csv(), "--bicubic",
                "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode result = JSON.readTree(out.resolve("result.json").toFile());
        assertEquals(5, result.size());
        SampleMaker maker = new SampleMaker(SampleOptions.EVALUATION);
        double psnrSum = 0;
        for (int i = 0; i < 5; i++) {
            FaceSample s = maker.make(dataset.get(i), new Random(0));
            BufferedImage sr = Images.readRgb(out.resolve("sr").resolve(String.format("face_%04d.png", i)));
            BufferedImage bicubic = PilResize.resize(s.lr(), 128, 128);
            assertEquals(0, Arrays.compare(pixels(bicubic), pixels(sr)), "the SR file is the bicubic image");
            ImageQuality.Scores q = ImageQuality.compare(bicubic, s.hr(), 8, MetricMode.REFERENCE);
            JsonNode e = result.get(String.format("face_%04d.png", i));
            assertEquals(q.psnr(), e.get("psnr").asDouble(), 1e-12);
            assertEquals(q.ssim(), e.get("ssim").asDouble(), 1e-12);
            assertTrue(e.get("time").asDouble() >= 0);
            psnrSum += q.psnr();
        }
        String avg = Files.readString(out.resolve("average_result.txt"));
        assertTrue(avg.startsWith(String.format("PSNR: %.2f      SSIM: ", psnrSum / 5)), avg);
        BufferedImage grid = Images.readRgb(out.resolve("comparison.png"));
        assertTrue(grid.getHeight() > 5 * 128 && grid.getWidth() > 4 * 128, "5 rows of LR | bicubic | SR | HR");
    }

    @Test
    void aModelWithGivenLrImagesAndTheStandardMode() throws IOException {
        Path lr = Files.createDirectories(out.resolve("lr"));
        SampleMaker maker = new SampleMaker(SampleOptions.EVALUATION);
        for (int i = 0; i < 5; i++) {
            Images.writePng(maker.make(dataset.get(i), new Random(0)).lr(), lr.resolve(String.format("face_%04d.png", i)));
        }
        Path res = out.resolve("res");
        UpscaleCommandTest.Run r = run("test", "--hr", faces.toString(), "--annotations", csv(), "--lr", lr.toString(),
                "--model", Fixtures.path("dic_small_ckp.pth").toString(), "--metric-mode", "standard", "--batch", "2",
                "-o", res.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode result = JSON.readTree(res.resolve("result.json").toFile());
        assertEquals(5, result.size());
        Iterator<JsonNode> it = result.elements();
        JsonNode first = it.next();
        assertTrue(first.has("nme") && first.get("nme").asDouble() > 0, "68 landmarks: NME is reported");
        assertTrue(Files.readString(res.resolve("average_result.txt")).contains("standard mode"));
        assertTrue(r.err().contains("(DIC): 5 faces"), r.err());
    }

    @Test
    void theAuthorsTestOptionFile() throws IOException {
        Path json = out.resolve("test_DIC.json");
        Files.writeString(json, """
                {"name": "CelebA", "mode": "sr_align", "degradation": "BI", "gpu_ids": [0], "use_tb_logger": false,
                 "scale": 8, "is_train": false, "rgb_range": 1, "save_image": true,
                 "datasets": {"test_synthetic": {"mode": "HRLandmark", "name": "synthetic", "dataroot_HR": "%s",
                     "info_path": "%s", "data_type": "img", "LR_size": 16, "HR_size": 128}},
                 "networks": {"which_model": "DIC", "num_features": 16, "in_channels": 3, "out_channels": 3,
                     "num_steps": 4, "num_groups": 2, "detach_attention": false, "hg_num_feature": 32,
                     "hg_num_keypoints": 68, "num_fusion_block": 2, "scale": 8},
                 "solver": {"pretrained_path": "%s"}, "path": {"root": "../"}}
                """.formatted(faces, csv(), Fixtures.path("dic_small_ckp.pth")));
        UpscaleCommandTest.Run r = run("test", "--options", json.toString(), "-o", out.resolve("o").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("ignored") && r.err().contains("gpu_ids"), r.err());
        assertEquals(5, JSON.readTree(out.resolve("o").resolve("result.json").toFile()).size());

        // without -o the results go where the reference puts them: <path.root>/results/<name>
        Path root = out.resolve("root");
        Files.writeString(json, Files.readString(json).replace("\"root\": \"../\"", "\"root\": \"" + root + "\""));
        r = run("test", "--options", json.toString(), "--bicubic");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(5, JSON.readTree(root.resolve("results/CelebA/result.json").toFile()).size());
        Files.writeString(json, Files.readString(json).replace("\"path\": {\"root\": \"" + root + "\"}",
                "\"path\": {}"));
        r = run("test", "--options", json.toString(), "--bicubic");
        assertEquals(ExitCodes.USAGE, r.exitCode(), r.err());
        assertTrue(r.err().contains("give -o OUT, or --options with path.root and name"), r.err());

        Files.writeString(json, Files.readString(json).replace("\"save_image\"", "\"save_imag\""));
        r = run("test", "--options", json.toString(), "-o", out.resolve("o2").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("unknown key(s): save_imag"), r.err());
    }

    @Test
    void theBuiltInModelOnAListedSubsetWithALandmarkDetectorOnSrAndBicubic() throws IOException {
        Path list = out.resolve("val.txt");
        Files.writeString(list, "face_0001.png\nface_0003.png\n");
        UpscaleCommandTest.Run r = run("test", "--hr", faces.toString(), "--annotations", csv(), "--image-list",
                list.toString(), "--landmark-model", TestCommand.BUILT_IN, "-o", out.resolve("o").toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode result = JSON.readTree(out.resolve("o").resolve("result.json").toFile());
        assertEquals(2, result.size(), result.toString());
        SampleMaker maker = new SampleMaker(SampleOptions.EVALUATION);
        try (LandmarkDetector detector = LandmarkDetector.builtIn()) {
            for (int i : new int[] {1, 3}) {
                String name = String.format("face_%04d.png", i);
                FaceSample s = maker.make(dataset.get(i), new Random(0));
                BufferedImage sr = Images.readRgb(out.resolve("o").resolve("sr").resolve(name));
                List<float[][]> found = detector.detect(List.of(sr, PilResize.resize(s.lr(), 128, 128)));
                JsonNode e = result.get(name);
                assertEquals(Nme.of(found.get(0), s.landmarks(), Nme.Normalisation.INTER_OCULAR),
                        e.get("detector_nme").asDouble(), 1e-12);
                assertEquals(Nme.of(found.get(1), s.landmarks(), Nme.Normalisation.INTER_OCULAR),
                        e.get("bicubic_detector_nme").asDouble(), 1e-12);
            }
        }
        assertTrue(Files.readString(out.resolve("o").resolve(Evaluation.AVERAGE_TXT))
                .contains("Landmark detector NME (inter-ocular 36/45): SR "), "average_result.txt");
    }

    @Test
    void lrResampleScoresFacesCutThroughATransformDrawnPerFaceFromTheSeed() throws IOException {
        UpscaleCommandTest.Run r = run("test", "--hr", faces.toString(), "--annotations", csv(), "--bicubic",
                "--lr-resample", "7", "-o", out.resolve("a").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("faces resampled with seed 7"), r.err());
        JsonNode result = JSON.readTree(out.resolve("a").resolve("result.json").toFile());
        SampleMaker exact = new SampleMaker(SampleOptions.EVALUATION);
        SampleMaker resampled = new SampleMaker(SampleOptions.EVALUATION.withLrResample(LrResample.EVALUATION));
        try (FaceLoader loader = new FaceLoader(dataset, resampled, FaceLoader.Options.inOrder(1, 1, 7))) {
            Iterator<List<FaceSample>> batches = loader.epoch();
            for (int i = 0; i < 5; i++) {
                FaceSample s = batches.next().get(0);
                BufferedImage bicubic = PilResize.resize(s.lr(), 128, 128);
                JsonNode e = result.get(String.format("face_%04d.png", i));
                assertEquals(ImageQuality.compare(bicubic, s.hr(), 8, MetricMode.REFERENCE).psnr(),
                        e.get("psnr").asDouble(), 1e-12, "scored against the resampled HR");
                assertTrue(Arrays.compare(pixels(exact.make(dataset.get(i), new Random(0)).hr()), pixels(s.hr())) != 0,
                        "face " + i + " is cut through a transform");
            }
        }
        r = run("test", "--hr", faces.toString(), "--annotations", csv(), "--bicubic", "--lr-resample", "7",
                "-o", out.resolve("b").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(Files.readString(out.resolve("a").resolve("result.json")).replaceAll("\"time\" : [0-9.eE-]+", ""),
                Files.readString(out.resolve("b").resolve("result.json")).replaceAll("\"time\" : [0-9.eE-]+", ""),
                "the same seed, the same faces");
        r = run("test", "--hr", faces.toString(), "--lr", faces.toString(), "--bicubic", "--lr-resample", "7",
                "-o", out.resolve("c").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--lr-resample cuts the LR faces out of the HR images"), r.err());
    }

    @Test
    void jsonGivesTheAveragesAndNullWhereThereIsNoScore() throws IOException {
        UpscaleCommandTest.Run r = run("test", "--hr", faces.toString(), "--annotations", csv(), "--bicubic",
                "-o", out.toString(), "--json");
        JsonNode j = r.jsonOfSuccess("test", 5);
        JsonNode set = j.get("sets").get(0);
        assertEquals(5, set.get("faces").asInt());
        JsonNode perFace = JSON.readTree(out.resolve("result.json").toFile());
        double psnr = StreamSupport.stream(perFace.spliterator(), false).mapToDouble(n -> n.get("psnr").asDouble())
                .average().orElseThrow();
        assertEquals(psnr, set.get("averages").get("psnr").asDouble(), 1e-9);
        // bicubic predicts no landmarks and no detector ran: JSON's null, never NaN
        assertTrue(set.get("averages").get("nme").isNull(), j.toString());
        assertTrue(set.get("averages").get("detector_nme").isNull(), j.toString());
        assertFalse(r.err().contains("PSNR"), "no prose summary with --json: " + r.err());
    }

    @Test
    void perStepScoresAndTheUniformAttentionAblation() throws IOException {
        JsonNode paper = modelAverages("landmarks");
        JsonNode ablation = modelAverages("uniform");
        for (JsonNode a : List.of(paper, ablation)) {
            assertEquals(4, a.get("step_psnr").size(), a.toString());
            assertEquals(4, a.get("step_nme").size(), a.toString());
            assertEquals(a.get("psnr").asDouble(), a.get("step_psnr").get(3).asDouble(), 1e-9, "the last step scored");
            assertEquals(a.get("nme").asDouble(), a.get("step_nme").get(3).asDouble(), 1e-9);
        }
        // step 1 reads no attention; steps 2-4 read the landmarks' maps or uniform ones
        assertEquals(paper.get("step_psnr").get(0).asDouble(), ablation.get("step_psnr").get(0).asDouble(), 1e-9);
        assertEquals(paper.get("step_nme").get(0).asDouble(), ablation.get("step_nme").get(0).asDouble(), 1e-9);
        for (int t = 1; t < 4; t++) {
            assertTrue(Math.abs(paper.get("step_psnr").get(t).asDouble() - ablation.get("step_psnr").get(t).asDouble())
                    > 1e-4, "step " + (t + 1) + ": " + paper + " vs " + ablation);
        }
        UpscaleCommandTest.Run bad = run("test", "--hr", faces.toString(), "--bicubic", "--attention", "uniform",
                "-o", out.toString());
        assertEquals(ExitCodes.USAGE, bad.exitCode(), bad.err());
    }

    private JsonNode modelAverages(String attention) throws IOException {
        Path dir = out.resolve(attention);
        // the built-in model: its heatmaps have peaks (the small fixture's are all below HeatmapMerge's floor, so
        // its attention is near uniform already)
        UpscaleCommandTest.Run r = run("test", "--hr", faces.toString(), "--annotations", csv(), "--attention",
                attention, "-o", dir.toString(), "--json");
        JsonNode averages = r.jsonOfSuccess("test", 5).get("sets").get(0).get("averages");
        JsonNode face = JSON.readTree(dir.resolve("result.json").toFile()).elements().next();
        assertEquals(face.get("psnr").asDouble(), face.get("step_psnr").get(3).asDouble(), 1e-12);
        return averages;
    }

    @Test
    void jsonOfARunStoppedByAnUnreadableFaceNamesIt() throws IOException {
        Path broken = out.resolve("broken");
        SyntheticFaces.write(broken, 3, 3, 160);
        Files.writeString(broken.resolve("face_0001.png"), "not a png");
        UpscaleCommandTest.Run r = run("test", "--hr", broken.toString(), "--annotations",
                broken.resolve("bboxes.csv").toString(), "--bicubic", "-o", out.resolve("o").toString(), "--json");
        assertEquals(ExitCodes.FAILED, r.exitCode(), r.err());
        JsonNode j = r.json();
        assertEquals(ExitCodes.FAILED, j.get("exit_code").asInt());
        assertEquals(0, j.get("written").asInt());
        assertTrue(j.get("error").asText().contains("face_0001.png"), j.toString());

        UpscaleCommandTest.Run usage = run("test", "--hr", faces.toString(), "--bicubic", "--model",
                Fixtures.path("dic_small_state_dict.pth").toString(), "-o", out.toString(), "--json");
        assertEquals(ExitCodes.USAGE, usage.exitCode());
        assertEquals("give --model or --bicubic, not both", usage.json().get("error").asText());
    }

    @Test
    void aFolderWithoutImagesOrAnImageOverThePixelLimitStopsTheRunNamingIt() throws IOException {
        Path empty = Files.createDirectories(out.resolve("empty"));
        UpscaleCommandTest.Run r = run("test", "--hr", empty.toString(), "--bicubic", "-o",
                out.resolve("o").toString());
        assertEquals(ExitCodes.FAILED, r.exitCode(), r.err());
        assertTrue(r.err().contains("error: " + empty + ": no faces found"), r.err());

        Path bomb = Files.createDirectories(out.resolve("bomb"));
        Files.write(bomb.resolve("bomb.png"), Pngs.black(20000, 20000));
        r = run("test", "--hr", bomb.toString(), "--bicubic", "-o", out.resolve("o2").toString());
        assertEquals(ExitCodes.FAILED, r.exitCode(), r.err());
        assertTrue(r.err().contains(bomb.resolve("bomb.png") + ": 20000x20000 is 400,000,000 pixels, over the limit"
                + " of 178,956,970"), r.err());
    }

    @Test
    void clearErrors() {
        UpscaleCommandTest.Run r = run("test", "--hr", faces.toString(), "--bicubic", "--model",
                Fixtures.path("dic_small_state_dict.pth").toString(), "-o", out.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("give --model or --bicubic, not both"), r.err());
        r = run("test", "--hr", faces.toString(), "--annotations", faces.resolve("nope.pkl").toString(), "--bicubic",
                "-o", out.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("nope.pkl") && r.err().contains("no such file"), r.err());
    }

    @Test
    void the300WFacesWithTheAuthorsInfoList() throws IOException {
        Path data = SharedData.require("faces300w/train", "the300WFacesWithTheAuthorsInfoList");
        UpscaleCommandTest.Run r = run("test", "--hr", data.toString(), "--annotations",
                data.resolve("info_list.pkl").toString(), "--bicubic", "--batch", "16", "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        JsonNode result = JSON.readTree(out.resolve("result.json").toFile());
        assertEquals(1207, result.size());
        double mean = StreamSupport.stream(result.spliterator(), false).mapToDouble(n -> n.get("psnr").asDouble())
                .average().orElseThrow();
        assertTrue(Files.readString(out.resolve("average_result.txt")).startsWith(String.format("PSNR: %.2f", mean)));
        assertEquals(1207, Files.list(out.resolve("sr")).filter(f -> f.toString().endsWith(".png")).count());
        // beside them, the faces' landmarks in their pixels, for eval-landmarks
        assertEquals(1207, FaceDataset.open(out.resolve("sr").resolve(Evaluation.SR_LANDMARKS), out.resolve("sr"))
                .size());
        System.out.printf("300-W train, bicubic: mean PSNR %.2f dB over %d faces%n", mean, result.size());
    }
}
