package io.dic4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The authors' landmark scores, computed by hand on a face where half the points are off by (3, 4). */
class LandmarkEvaluationTest {

    @TempDir
    Path dir;

    /** Ground truth: point i at (i, 10); predicted: every even point moved by (3, 4), a 5-pixel error. */
    static Map<String, Double> halfTheFaceOffByFive() {
        double[][] gt = new double[68][];
        float[][] predicted = new float[68][];
        for (int i = 0; i < 68; i++) {
            gt[i] = new double[] {i, 10};
            predicted[i] = i % 2 == 0 ? new float[] {i + 3, 14} : new float[] {i, 10};
        }
        return LandmarkEvaluation.score(predicted, gt);
    }

    @Test
    void scoresAreTheRmseOverTheReferenceNormalisationsAndTheStandardNme() {
        Map<String, Double> s = halfTheFaceOffByFive();
        double rmse = Math.sqrt(25.0 / 2);
        assertEquals(rmse / 67, s.get(LandmarkEvaluation.WIDTH), 1e-12, "x extent 0..67");
        assertEquals(rmse / 9, s.get(LandmarkEvaluation.EYE_OUTER_WIDTH), 1e-12, "x46 - x37");
        assertEquals(rmse / 6, s.get(LandmarkEvaluation.EYE_DIST), 1e-12, "(43+46)/2 - (37+40)/2");
        assertEquals(2.5 / 9, s.get(LandmarkEvaluation.NME), 1e-12, "mean error / |p36 - p45|");
    }

    @Test
    void writesTheReferenceFiles() throws IOException {
        Map<String, Double> s = halfTheFaceOffByFive();
        LandmarkEvaluation.Result r = new LandmarkEvaluation.Result(List.of("a.png", "b.png"), Map.of(
                LandmarkEvaluation.WIDTH, List.of(s.get(LandmarkEvaluation.WIDTH), 0.0)));
        LandmarkEvaluation.write(r, dir);
        assertEquals(String.format("width: %.4f\n", s.get(LandmarkEvaluation.WIDTH) / 2),
                Files.readString(dir.resolve(LandmarkEvaluation.AVERAGE_TXT)));
        assertEquals("{\"width\":[" + s.get(LandmarkEvaluation.WIDTH) + ",0.0],\"names\":[\"a.png\",\"b.png\"]}",
                Files.readString(dir.resolve(LandmarkEvaluation.RESULT_JSON)));
    }
}
