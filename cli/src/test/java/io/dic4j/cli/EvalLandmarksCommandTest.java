package io.dic4j.cli;

import static io.dic4j.cli.UpscaleCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dic4j.data.FaceDataset;
import io.dic4j.data.FaceSample;
import io.dic4j.data.SampleMaker;
import io.dic4j.data.SampleOptions;
import io.dic4j.data.SyntheticFaces;
import io.dic4j.eval.Evaluation;
import io.dic4j.eval.LandmarkEvaluation;
import io.dic4j.image.Images;
import io.dic4j.model.StackedHourglass;
import io.dic4j.weights.HourglassWeights;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.razorvine.pickle.Pickler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dic4j eval-landmarks} with a stacked hourglass: the reference's files, from photos with boxes and from
 * 128×128 faces with the evaluation's pickle (name → 68×2 points), which give the same scores.
 */
class EvalLandmarksCommandTest {

    static final int FACES = 4;

    @TempDir
    static Path dir;
    static Path model;

    @BeforeAll
    static void prepare() throws IOException {
        SyntheticFaces.write(dir.resolve("photos"), FACES, 5, 160);
        model = dir.resolve("stacked.safetensors");
        try (NDManager m = NDManager.newBaseManager()) {
            StackedHourglass net = StackedHourglass.builder().setFeatures(32).setStacks(2).setKeypoints(68).build();
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 128, 128));
            HourglassWeights.save(net, model);
        }
    }

    @Test
    void photosWithBoxesAndAlignedFacesWithTheEvaluationPickleScoreTheSame() throws IOException {
        Path photos = dir.resolve("photos");
        Path fromPhotos = dir.resolve("out-photos");
        UpscaleCommandTest.Run r = run("eval-landmarks", "--images", photos.toString(), "--annotations",
                photos.resolve("bboxes.csv").toString(), "--model", model.toString(), "-o", fromPhotos.toString());
        assertEquals(0, r.exitCode(), r.err());

        // the same faces as 128×128 crops, their points in the crops' pixels, in the evaluation's pickle format
        Path aligned = dir.resolve("aligned");
        Files.createDirectories(aligned);
        FaceDataset photoSet = FaceDataset.open(photos.resolve("bboxes.csv"), photos);
        Map<String, List<List<Double>>> points = new LinkedHashMap<>();
        SampleMaker maker = new SampleMaker(SampleOptions.EVALUATION);
        for (int i = 0; i < FACES; i++) {
            FaceSample s = maker.make(photoSet.get(i), new Random(0));
            String name = String.format("sr_%d.png", i);
            Images.writePng(s.hr(), aligned.resolve(name));
            List<List<Double>> pts = new ArrayList<>();
            for (double[] p : s.landmarks()) {
                pts.add(List.of(p[0], p[1]));
            }
            points.put(name, pts);
        }
        Path pkl = aligned.resolve("landmarks.pkl");
        try (OutputStream o = Files.newOutputStream(pkl)) {
            new Pickler().dump(points, o);
        }
        r = run("eval-landmarks", "--images", aligned.toString(), "--annotations", pkl.toString(), "--model",
                model.toString());
        assertEquals(0, r.exitCode(), r.err());

        JsonNode a = new ObjectMapper().readTree(fromPhotos.resolve(LandmarkEvaluation.RESULT_JSON).toFile());
        JsonNode b = new ObjectMapper().readTree(aligned.resolve(LandmarkEvaluation.RESULT_JSON).toFile());
        for (String k : List.of(LandmarkEvaluation.WIDTH, LandmarkEvaluation.EYE_OUTER_WIDTH,
                LandmarkEvaluation.EYE_DIST, LandmarkEvaluation.NME)) {
            assertEquals(FACES, a.get(k).size(), k);
            for (int i = 0; i < FACES; i++) {
                double x = a.get(k).get(i).asDouble();
                assertTrue(Double.isFinite(x) && x > 0, k + " " + x);
                assertEquals(x, b.get(k).get(i).asDouble(), 1e-12, k + " of face " + i);
            }
        }
        List<String> lines = Files.readAllLines(aligned.resolve(LandmarkEvaluation.AVERAGE_TXT));
        assertEquals(4, lines.size());
        assertTrue(lines.get(0).matches("width: \\d+\\.\\d{4}"), lines.get(0));
    }

    @Test
    void aModelOfOtherThan68PointsIsRefused() throws IOException {
        Path five = dir.resolve("five.safetensors");
        try (NDManager m = NDManager.newBaseManager()) {
            StackedHourglass net = StackedHourglass.builder().setFeatures(16).setStacks(1).setKeypoints(5).build();
            net.initialize(m, DataType.FLOAT32, new Shape(1, 3, 128, 128));
            HourglassWeights.save(net, five);
        }
        UpscaleCommandTest.Run r = run("eval-landmarks", "--images", dir.resolve("photos").toString(),
                "--annotations", dir.resolve("photos").resolve("bboxes.csv").toString(), "--model", five.toString(),
                "-o", dir.resolve("out-five").toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("68-point model"), r.err());
    }

    @Test
    void theSrImagesOfDic4jTestAreScoredWithTheLandmarksItWritesBesideThem() throws IOException {
        Path photos = dir.resolve("photos");
        Path test = dir.resolve("test");
        UpscaleCommandTest.Run t = run("test", "--hr", photos.toString(), "--annotations",
                photos.resolve("bboxes.csv").toString(), "--bicubic", "-o", test.toString());
        assertEquals(0, t.exitCode(), t.err());
        Path sr = test.resolve(Evaluation.SR_DIR);
        // the landmarks are the HR crops' (the SR images' frame): the photos' HR crops score as the SR folder's would
        UpscaleCommandTest.Run r = run("eval-landmarks", "--images", sr.toString(), "--annotations",
                sr.resolve(Evaluation.SR_LANDMARKS).toString(), "--model", model.toString(), "-o",
                dir.resolve("out-sr").toString());
        assertEquals(0, r.exitCode(), r.err());
        FaceDataset srSet = FaceDataset.open(sr.resolve(Evaluation.SR_LANDMARKS), sr);
        FaceDataset photoSet = FaceDataset.open(photos.resolve("bboxes.csv"), photos);
        SampleMaker maker = new SampleMaker(SampleOptions.EVALUATION);
        assertEquals(FACES, srSet.size());
        for (int i = 0; i < FACES; i++) {
            FaceSample s = maker.make(photoSet.get(i), new Random(0));
            assertTrue(Arrays.deepEquals(s.landmarks(), srSet.get(i).landmarks()), "face " + i);
        }
        JsonNode scores = new ObjectMapper().readTree(dir.resolve("out-sr").resolve(LandmarkEvaluation.RESULT_JSON)
                .toFile());
        assertEquals(FACES, scores.get(LandmarkEvaluation.NME).size());
    }
}
