package io.dic4j.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dic4j.data.FaceBox;
import io.dic4j.data.FaceRecord;
import io.dic4j.data.FaceSample;
import io.dic4j.data.LandmarkFiles;
import io.dic4j.image.ComparisonGrid;
import io.dic4j.image.Images;
import io.dic4j.image.PilResize;
import io.dic4j.infer.DicPredictor;
import io.dic4j.infer.LandmarkDetector;
import io.dic4j.landmarks.Peaks;
import io.dic4j.metrics.ImageQuality;
import io.dic4j.metrics.MetricMode;
import io.dic4j.metrics.Nme;
import io.dic4j.util.AtomicFiles;
import io.dic4j.util.FileNames;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;

/**
 * The paper's test protocol over a stream of samples: super-resolve each LR face, score the last step against
 * its HR face (PSNR/SSIM on Y, {@code border} pixels cropped), time it, and score the bicubic baseline beside it.
 * Writes what the reference's test script writes ({@code sr/<name>.png}, {@code result.json},
 * {@code average_result.txt}) plus a comparison grid and {@code sr/info_list.pkl} (the ground-truth landmarks in
 * the SR images' pixels, for {@code dic4j eval-landmarks}). Samples without HR (LR-only sets) are only
 * super-resolved. The samples decide what is scored: {@code SampleOptions.EVALUATION} is the paper's exact crops;
 * {@code SampleOptions.EVALUATION.withLrResample(LrResample.EVALUATION)} in a loader of
 * {@code FaceLoader.Options.inOrder(batch, workers, seed)} gives faces cut as photos give them, each through a
 * transform drawn from the seed (what {@code dic4j test --lr-resample SEED} scores).
 */
public final class Evaluation {

    public static final String SR_DIR = "sr";
    public static final String RESULT_JSON = "result.json";
    public static final String AVERAGE_TXT = "average_result.txt";
    public static final String GRID_PNG = "comparison.png";
    /** The faces' ground-truth landmarks in the SR images' pixels (authors' info-list format), for eval-landmarks. */
    public static final String SR_LANDMARKS = "info_list.pkl";

    /**
     * @param mode PSNR/SSIM as the reference computes them, or the standard way
     * @param border pixels cropped at each side before scoring (the scale, 8, in the paper)
     * @param gridFaces faces shown in the comparison grid
     */
    public record Settings(MetricMode mode, int border, int gridFaces) {
        public static final Settings PAPER = new Settings(MetricMode.REFERENCE, 8, 8);

        /** The authors' peak decoding in reference mode, as their evaluation reads landmarks; else sub-pixel. */
        public Peaks.Decoding landmarkDecoding() {
            return mode == MetricMode.REFERENCE ? Peaks.Decoding.REFERENCE_SHIFT : Peaks.Decoding.SUBPIXEL;
        }
    }

    /**
     * One face's scores; {@code nme} is null where there are no landmarks to compare. {@code ssimStandard} is the
     * SR's SSIM in standard mode, whatever the settings' mode (PSNR is the same in both).
     *
     * @param stepPsnr PSNR of each step's SR image (the last is {@code sr.psnr()})
     * @param stepNme NME of each step's landmarks; empty where there are none to compare
     */
    public record FaceResult(String name, ImageQuality.Scores sr, double ssimStandard, ImageQuality.Scores bicubic,
            double seconds, Double nme, DetectorNme detector, List<Double> stepPsnr, List<Double> stepNme) {}

    /**
     * NME of a separate landmark detector run on the SR image and on the bicubic image of one face: does SR keep
     * the face's geometry better than bicubic does (the paper's landmark evaluation)?
     */
    public record DetectorNme(double sr, double bicubic) {}

    /**
     * Averages over the faces; metrics are NaN for LR-only sets, {@code nme} null without landmarks.
     * {@code stepPsnr} and {@code stepNme} average each step's scores (DIC's recurrence; the paper's claim is that
     * both improve step by step); {@code stepNme} is empty without landmarks.
     */
    public record Summary(String method, int faces, double psnr, double ssim, double ssimStandard, double seconds,
            double bicubicPsnr, double bicubicSsim, Double nme, DetectorNme detector, List<Double> stepPsnr,
            List<Double> stepNme) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Upscaler upscaler;
    private final Settings settings;
    private final Path out;
    private final LandmarkDetector detector;

    public Evaluation(Upscaler upscaler, Settings settings, Path out) {
        this(upscaler, settings, out, null);
    }

    /** @param detector a landmark detector run on SR and bicubic images (see {@link DetectorNme}), or null */
    public Evaluation(Upscaler upscaler, Settings settings, Path out, LandmarkDetector detector) {
        this.upscaler = upscaler;
        this.settings = settings;
        this.out = out;
        this.detector = detector;
    }

    /** Runs every batch, writing as it goes; {@code progress} is told how many faces each batch held. */
    public Summary run(Iterator<List<FaceSample>> batches, IntConsumer progress) throws IOException {
        Files.createDirectories(out.resolve(SR_DIR));
        List<FaceResult> results = new ArrayList<>();
        List<List<BufferedImage>> gridRows = new ArrayList<>();
        List<FaceRecord> srLandmarks = new ArrayList<>();
        int faces = 0;
        int steps = 1;
        while (batches.hasNext()) {
            List<FaceSample> batch = batches.next();
            List<BufferedImage> lr = batch.stream().map(FaceSample::lr).toList();
            long t0 = System.nanoTime();
            List<DicPredictor.Result> sr = upscaler.upscale(lr, settings.landmarkDecoding());
            double seconds = (System.nanoTime() - t0) / 1e9 / batch.size();
            List<BufferedImage> bicubics = new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                BufferedImage up = sr.get(i).sr();
                bicubics.add(PilResize.resize(lr.get(i), up.getWidth(), up.getHeight()));
            }
            List<DetectorNme> detected = detectorNme(batch, sr, bicubics);
            for (int i = 0; i < batch.size(); i++) {
                FaceSample s = batch.get(i);
                DicPredictor.Result r = sr.get(i);
                steps = r.steps().size();
                String name = outputName(s);
                Path srFile = out.resolve(SR_DIR).resolve(name);
                Images.writePng(r.sr(), srFile);
                if (s.landmarks() != null && s.hr() != null) {
                    // the HR crop's points are the SR image's: same size, same frame; the whole image is the face
                    srLandmarks.add(new FaceRecord(name, srFile, s.landmarks(),
                            new FaceBox(0, 0, r.sr().getWidth(), r.sr().getHeight())));
                }
                BufferedImage bicubic = bicubics.get(i);
                if (s.hr() != null) {
                    ImageQuality.Scores scores = ImageQuality.compare(r.sr(), s.hr(), settings.border(), settings.mode());
                    double standard = settings.mode() == MetricMode.STANDARD ? scores.ssim()
                            : ImageQuality.compare(r.sr(), s.hr(), settings.border(), MetricMode.STANDARD).ssim();
                    List<Double> stepPsnr = r.steps().stream()
                            .map(step -> ImageQuality.compare(step, s.hr(), settings.border(), settings.mode()).psnr())
                            .toList();
                    List<Double> stepNme = r.stepLandmarks().stream().map(points -> nme(points, s))
                            .filter(n -> n != null).toList();
                    results.add(new FaceResult(name, scores, standard,
                            ImageQuality.compare(bicubic, s.hr(), settings.border(), settings.mode()), seconds,
                            nme(r.landmarks(), s), detected.get(i), stepPsnr, stepNme));
                }
                if (gridRows.size() < settings.gridFaces()) {
                    List<BufferedImage> row = new ArrayList<>();
                    row.add(s.lr());
                    row.add(bicubic);
                    row.addAll(r.steps());
                    row.add(s.hr());
                    gridRows.add(row);
                }
                faces++;
            }
            progress.accept(batch.size());
        }
        writeGrid(gridRows, steps);
        if (!srLandmarks.isEmpty()) {
            LandmarkFiles.writeInfoList(out.resolve(SR_DIR).resolve(SR_LANDMARKS), srLandmarks);
        }
        Summary summary = summarise(faces, results);
        if (!results.isEmpty()) {
            writeResults(results, summary);
        }
        return summary;
    }

    /** Inter-ocular NME of predicted landmarks, where the face has ground truth of the same scheme. */
    private static Double nme(float[][] predicted, FaceSample s) {
        Nme.Normalisation norm = Nme.Normalisation.INTER_OCULAR;
        if (s.landmarks() == null || predicted == null || predicted.length != s.landmarks().length
                || !norm.definedFor(s.landmarks().length)) {
            return null;
        }
        return Nme.of(predicted, s.landmarks(), norm);
    }

    /** The detector's NME on each face's SR and bicubic images; nulls without a detector or ground truth. */
    private List<DetectorNme> detectorNme(List<FaceSample> batch, List<DicPredictor.Result> sr,
            List<BufferedImage> bicubics) {
        List<DetectorNme> out = new ArrayList<>();
        if (detector == null) {
            batch.forEach(s -> out.add(null));
            return out;
        }
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            images.add(sr.get(i).sr());
            images.add(bicubics.get(i));
        }
        List<float[][]> found = detector.detect(images);
        for (int i = 0; i < batch.size(); i++) {
            Double onSr = nme(found.get(2 * i), batch.get(i));
            Double onBicubic = nme(found.get(2 * i + 1), batch.get(i));
            out.add(onSr == null || onBicubic == null ? null : new DetectorNme(onSr, onBicubic));
        }
        return out;
    }

    /** The SR file's name: the input's stem as PNG. */
    public static String outputName(FaceSample s) {
        return FileNames.stem(s.name()) + ".png";
    }

    private Summary summarise(int faces, List<FaceResult> results) {
        double psnr = results.stream().mapToDouble(r -> r.sr().psnr()).average().orElse(Double.NaN);
        double ssim = results.stream().mapToDouble(r -> r.sr().ssim()).average().orElse(Double.NaN);
        double ssimStandard = results.stream().mapToDouble(FaceResult::ssimStandard).average().orElse(Double.NaN);
        double time = results.stream().mapToDouble(FaceResult::seconds).average().orElse(Double.NaN);
        double bPsnr = results.stream().mapToDouble(r -> r.bicubic().psnr()).average().orElse(Double.NaN);
        double bSsim = results.stream().mapToDouble(r -> r.bicubic().ssim()).average().orElse(Double.NaN);
        List<Double> nmes = results.stream().map(FaceResult::nme).filter(n -> n != null).toList();
        Double nme = nmes.isEmpty() ? null : nmes.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        List<DetectorNme> detected = results.stream().map(FaceResult::detector).filter(d -> d != null).toList();
        DetectorNme detector = detected.isEmpty() ? null : new DetectorNme(
                detected.stream().mapToDouble(DetectorNme::sr).average().orElseThrow(),
                detected.stream().mapToDouble(DetectorNme::bicubic).average().orElseThrow());
        return new Summary(upscaler.name(), faces, psnr, ssim, ssimStandard, time, bPsnr, bSsim, nme, detector,
                stepMeans(results, FaceResult::stepPsnr), stepMeans(results, FaceResult::stepNme));
    }

    /** The mean of each step's score over the faces that have one for every step. */
    private static List<Double> stepMeans(List<FaceResult> results, Function<FaceResult, List<Double>> scores) {
        int steps = results.stream().mapToInt(r -> scores.apply(r).size()).max().orElse(0);
        List<List<Double>> complete = results.stream().map(scores).filter(l -> l.size() == steps).toList();
        List<Double> means = new ArrayList<>();
        for (int t = 0; t < steps && !complete.isEmpty(); t++) {
            int step = t;
            means.add(complete.stream().mapToDouble(l -> l.get(step)).average().orElseThrow());
        }
        return means;
    }

    private void writeResults(List<FaceResult> results, Summary s) throws IOException {
        ObjectNode json = JSON.createObjectNode();
        for (FaceResult r : results) {
            ObjectNode o = json.putObject(r.name());
            o.put("psnr", r.sr().psnr());
            o.put("ssim", r.sr().ssim());
            o.put("ssim_standard", r.ssimStandard());
            o.put("time", r.seconds());
            o.put("bicubic_psnr", r.bicubic().psnr());
            o.put("bicubic_ssim", r.bicubic().ssim());
            if (r.nme() != null) {
                o.put("nme", r.nme());
            }
            if (r.detector() != null) {
                o.put("detector_nme", r.detector().sr());
                o.put("bicubic_detector_nme", r.detector().bicubic());
            }
            if (r.stepPsnr().size() > 1) {
                r.stepPsnr().forEach(o.putArray("step_psnr")::add);
                if (!r.stepNme().isEmpty()) {
                    r.stepNme().forEach(o.putArray("step_nme")::add);
                }
            }
        }
        AtomicFiles.write(out.resolve(RESULT_JSON), o -> JSON.writerWithDefaultPrettyPrinter().writeValue(o, json));
        StringBuilder text = new StringBuilder();
        // first line as the reference's test script writes it
        text.append(String.format(Locale.ROOT, "PSNR: %.2f      SSIM: %.4f      Speed: %.4f%n", s.psnr(), s.ssim(),
                s.seconds()));
        text.append(String.format(Locale.ROOT, "SSIM (standard, without the reference's uint8 wrap): %.4f%n",
                s.ssimStandard()));
        text.append(String.format(Locale.ROOT, "Bicubic PSNR: %.2f      SSIM: %.4f%n", s.bicubicPsnr(),
                s.bicubicSsim()));
        if (s.nme() != null) {
            text.append(String.format(Locale.ROOT, "NME (inter-ocular 36/45): %.4f%n", s.nme()));
        }
        if (s.detector() != null) {
            text.append(String.format(Locale.ROOT, "Landmark detector NME (inter-ocular 36/45): SR %.4f, bicubic"
                    + " %.4f%n", s.detector().sr(), s.detector().bicubic()));
        }
        if (s.stepPsnr().size() > 1) {
            text.append("Per step, 1 to ").append(s.stepPsnr().size()).append(": PSNR ")
                    .append(joined(s.stepPsnr(), "%.2f"));
            if (!s.stepNme().isEmpty()) {
                text.append("; NME ").append(joined(s.stepNme(), "%.4f"));
            }
            text.append(System.lineSeparator());
        }
        text.append(String.format(Locale.ROOT, "Method: %s; metrics on Y, %s mode, border %d; %d faces%n",
                s.method(), settings.mode().name().toLowerCase(Locale.ROOT), settings.border(), results.size()));
        AtomicFiles.write(out.resolve(AVERAGE_TXT), o -> o.write(text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private void writeGrid(List<List<BufferedImage>> rows, int steps) throws IOException {
        if (rows.isEmpty()) {
            return;
        }
        List<String> headers = new ArrayList<>(List.of("LR", "bicubic"));
        for (int t = 1; t <= steps; t++) {
            headers.add(steps == 1 ? upscaler.name() : "step " + t);
        }
        headers.add("HR");
        int cell = rows.get(0).get(1).getWidth();
        Images.writePng(ComparisonGrid.draw(headers, rows, cell), out.resolve(GRID_PNG));
    }

    /** Numbers in one format, joined by commas: how per-step scores are shown. */
    public static String joined(List<Double> values, String format) {
        return values.stream().map(v -> String.format(Locale.ROOT, format, v)).collect(Collectors.joining(", "));
    }
}
