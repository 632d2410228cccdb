package io.dic4j.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dic4j.data.FaceSample;
import io.dic4j.infer.LandmarkDetector;
import io.dic4j.landmarks.Peaks;
import io.dic4j.metrics.Nme;
import io.dic4j.util.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * The paper's landmark evaluation (the authors' {@code eval_landmark.py}): a landmark model (their stacked
 * hourglass {@code HG_68_CelebA.pth}) finds 68 points on each face, decoded as their script does (the peak moved
 * one pixel toward the second-highest cell); per face, the RMSE over points divided by three normalisations of
 * the ground truth: {@code width} (its x extent), {@code eye_outer_width} (x of point 46 − x of point 37) and
 * {@code eye_dist} (x distance of the eye centres, points 43/46 and 37/40). Beside them the standard NME (mean
 * point error / distance of the outer eye corners 36–45) of the same points.
 *
 * <p>Writes {@value #RESULT_JSON} (per-face lists under those names, and {@code names}) and
 * {@value #AVERAGE_TXT} (their means, {@code name: %.4f} lines), as the authors' script does.
 */
public final class LandmarkEvaluation {

    public static final String RESULT_JSON = "landmark_result.json";
    public static final String AVERAGE_TXT = "landmark_average_result.txt";
    public static final String WIDTH = "width";
    public static final String EYE_OUTER_WIDTH = "eye_outer_width";
    public static final String EYE_DIST = "eye_dist";
    public static final String NME = "nme";
    private static final int POINTS = 68;

    /** Per-face scores by name, in face order, and the faces' names. */
    public record Result(List<String> names, Map<String, List<Double>> scores) {

        /** The mean of each score. */
        public Map<String, Double> means() {
            Map<String, Double> out = new LinkedHashMap<>();
            scores.forEach((k, v) -> out.put(k, v.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN)));
            return out;
        }
    }

    private final LandmarkDetector detector;

    public LandmarkEvaluation(LandmarkDetector detector) {
        if (detector.keypoints() != POINTS) {
            throw new IllegalArgumentException("the landmark evaluation needs a 68-point model, this one finds "
                    + detector.keypoints());
        }
        this.detector = detector;
    }

    /**
     * Scores every face of the batches (HR-size crops with ground-truth landmarks).
     *
     * @param progress told the number of faces of each batch done
     */
    public Result run(Iterator<List<FaceSample>> batches, IntConsumer progress) {
        List<String> names = new ArrayList<>();
        Map<String, List<Double>> scores = new LinkedHashMap<>();
        for (String k : List.of(WIDTH, EYE_OUTER_WIDTH, EYE_DIST, NME)) {
            scores.put(k, new ArrayList<>());
        }
        while (batches.hasNext()) {
            List<FaceSample> batch = batches.next();
            List<float[][]> found = detector.detect(batch.stream().map(FaceSample::hr).toList(),
                    Peaks.Decoding.REFERENCE_SHIFT);
            for (int i = 0; i < batch.size(); i++) {
                FaceSample s = batch.get(i);
                double[][] gt = s.landmarks();
                if (gt == null || gt.length != POINTS) {
                    throw new IllegalArgumentException(s.name() + ": the landmark evaluation needs 68 ground-truth"
                            + " points, it has " + (gt == null ? "none" : gt.length));
                }
                names.add(s.name());
                score(found.get(i), gt).forEach((k, v) -> scores.get(k).add(v));
            }
            progress.accept(batch.size());
        }
        return new Result(names, scores);
    }

    /** One face's scores by name. */
    static Map<String, Double> score(float[][] predicted, double[][] gt) {
        double rmse = rmse(predicted, gt);
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(WIDTH, rmse / extentX(gt));
        out.put(EYE_OUTER_WIDTH, rmse / (gt[46][0] - gt[37][0]));
        out.put(EYE_DIST, rmse / ((gt[43][0] + gt[46][0]) / 2 - (gt[37][0] + gt[40][0]) / 2));
        out.put(NME, Nme.of(predicted, gt, Nme.Normalisation.INTER_OCULAR));
        return out;
    }

    /** √(mean over points of the squared distance), as the authors' script computes it. */
    private static double rmse(float[][] predicted, double[][] gt) {
        double sum = 0;
        for (int i = 0; i < gt.length; i++) {
            double dx = predicted[i][0] - gt[i][0];
            double dy = predicted[i][1] - gt[i][1];
            sum += dx * dx + dy * dy;
        }
        return Math.sqrt(sum / gt.length);
    }

    private static double extentX(double[][] gt) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double[] p : gt) {
            min = Math.min(min, p[0]);
            max = Math.max(max, p[0]);
        }
        return max - min;
    }

    /** Writes {@value #RESULT_JSON} and {@value #AVERAGE_TXT} into {@code dir}. */
    public static void write(Result r, Path dir) throws IOException {
        Files.createDirectories(dir);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        r.scores().forEach((k, v) -> {
            ArrayNode a = root.putArray(k);
            v.forEach(a::add);
        });
        ArrayNode names = root.putArray("names");
        r.names().forEach(names::add);
        AtomicFiles.write(dir.resolve(RESULT_JSON), o -> json.writeValue(o, root));
        StringBuilder txt = new StringBuilder();
        r.means().forEach((k, v) -> txt.append(String.format(Locale.ROOT, "%s: %.4f\n", k, v)));
        AtomicFiles.write(dir.resolve(AVERAGE_TXT), o -> o.write(txt.toString().getBytes(StandardCharsets.UTF_8)));
    }
}
