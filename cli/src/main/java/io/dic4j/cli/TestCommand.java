package io.dic4j.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dic4j.data.AnnotationException;
import io.dic4j.data.FaceDataset;
import io.dic4j.data.FaceLoader;
import io.dic4j.data.FaceRecord;
import io.dic4j.data.FaceSample;
import io.dic4j.data.LrResample;
import io.dic4j.data.SampleMaker;
import io.dic4j.data.SampleOptions;
import io.dic4j.eval.Evaluation;
import io.dic4j.eval.TestOptions;
import io.dic4j.eval.Upscaler;
import io.dic4j.image.Images;
import io.dic4j.image.PilResize;
import io.dic4j.infer.DicPredictor;
import io.dic4j.infer.LandmarkDetector;
import io.dic4j.metrics.MetricMode;
import io.dic4j.model.DicConfig;
import io.dic4j.util.FileNames;
import io.dic4j.weights.BuiltInModel;
import io.dic4j.weights.DicWeights;
import io.dic4j.weights.StateDict;
import io.dic4j.util.OptionFiles;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dic4j test}: the paper's evaluation of a model (or bicubic) on a face dataset. */
@Command(
        name = "test",
        mixinStandardHelpOptions = true,
        header = "Scores a model on a test set as the paper does.",
        description = {
            "Super-resolves the LR faces of a test set and scores each against its HR face as the paper does: PSNR"
                    + " and SSIM on the Y channel with a border of 8 pixels, the time per face, and the NME of the"
                    + " model's landmarks, beside the bicubic baseline. Without --model or --bicubic the built-in"
                    + " model is scored.",
            "HR faces are cropped by --annotations (the authors' .pkl, a box .csv with 300-W .pts files, a folder"
                    + " of Helen annotations, or CelebA's landmark list) or used whole. Their LR faces are made as"
                    + " the reference makes them (Pillow bicubic to 128, then to 16), unless --lr gives LR images,"
                    + " matched by name, or --lr-resample cuts both as photos give them.",
            "Writes OUT/sr/<name>.png, OUT/result.json, OUT/average_result.txt and OUT/comparison.png. A face that"
                    + " cannot be read stops the run with exit code 1, because an average over part of a test set"
                    + " is not its score."
        },
        footerHeading = Main.EXAMPLES_HEADING,
        footer = {
            "  dic4j test --hr faces/ --annotations faces/info_list.pkl -o out/dic",
            "  dic4j test --hr faces/ --bicubic -o out/bicubic",
            "  dic4j test --options test_DIC_CelebA.json -o out/celeba --json"
        })
final class TestCommand implements Callable<Integer> {

    enum Mode { reference, standard }

    @Spec
    CommandSpec spec;

    @Option(names = "--hr", paramLabel = "DIR", description = "HR images (whole faces, or cropped by --annotations).")
    Path hr;

    @Option(names = "--annotations", paramLabel = "FILE", description = "Boxes and landmarks of the HR images.")
    Path annotations;

    @Option(names = "--lr", paramLabel = "DIR", description = "Given LR images (16x16) instead of making them.")
    Path lr;

    @Option(names = "--model", paramLabel = "FILE",
            description = "DIC weights (.pth, .npz, .safetensors); default: the built-in model.")
    Path model;

    @Option(names = "--bicubic", description = "Score Pillow bicubic upscaling instead of a model.")
    boolean bicubic;

    @Mixin
    PrecisionOption precision;

    @Option(names = "--options", paramLabel = "JSON",
            description = "The authors' test option file: its datasets, networks and solver.pretrained_path.")
    Path options;

    @Option(names = "--metric-mode", defaultValue = "reference", paramLabel = "reference|standard",
            description = "reference: the authors' SSIM (with its uint8 wrap) and landmark decoding (the arg-max"
                    + " cell moved a pixel toward the runner-up), as the paper reports; standard: standard SSIM and"
                    + " sub-pixel landmarks.")
    Mode metricMode;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT", description = "Output folder; with --options, by"
            + " default <path.root>/results/<name> as the reference's.")
    Path out;

    @Option(names = "--batch", defaultValue = "1", paramLabel = "N",
            description = "Faces per forward pass (1, as the reference times them).")
    int batch;

    @Option(names = "--workers", defaultValue = "2", paramLabel = "N", description = "Threads preparing faces.")
    int workers;

    @Option(names = "--image-list", paramLabel = "FILE",
            description = "Score only the faces named in FILE (one image name per line), e.g. a held-out split.")
    Path imageList;

    @Option(names = "--landmark-model", paramLabel = "FILE|" + BUILT_IN,
            description = "Also run this landmark detector (hourglass or DIC weights, or '" + BUILT_IN + "') on"
                    + " the SR and the bicubic images and report its NME on both.")
    String landmarkModel;

    @Option(names = "--lr-resample", paramLabel = "SEED",
            description = "Score faces cut as photos give them: each face's HR and LR are cut out of its image"
                    + " through a similarity transform drawn from SEED and the face's place in the list (shift"
                    + " +-0.5 LR pixel, rotation +-5 degrees, scale +-10%%), the LR antialiased; bicubic upscales"
                    + " that LR.")
    Long lrResample;

    enum AttentionSource { landmarks, uniform }

    @Option(names = "--attention", defaultValue = "landmarks", paramLabel = "landmarks|uniform",
            description = "What DIC's steps 2-4 attend to: the landmarks (the paper), or uniform maps, the ablation"
                    + " that shows what the landmarks add to the same weights.")
    AttentionSource attention;

    /** The value of --landmark-model that names the built-in model's alignment branch. */
    static final String BUILT_IN = "builtin";

    @Mixin
    ProgressOptions progressOptions;

    @Mixin
    ImageLimitOptions imageLimitOptions;

    @Mixin
    JsonOption jsonOption;

    private RunReport report;

    @Override
    public Integer call() {
        report = jsonOption.report(spec);
        PrintWriter err = spec.commandLine().getErr();
        List<TestOptions.TestSet> sets = new ArrayList<>();
        DicConfig config = null;
        try {
            if (options != null) {
                List<String> ignored = new ArrayList<>();
                TestOptions o = TestOptions.fromJson(OptionFiles.read(options), ignored);
                if (!ignored.isEmpty()) {
                    err.println("note: " + options + ": ignored (nothing to do here): " + String.join(", ", ignored));
                }
                config = o.networks();
                if (model == null && !bicubic) {
                    model = o.pretrained();
                }
                if (hr == null && lr == null) {
                    sets.addAll(o.datasets());
                }
                if (out == null) {
                    out = o.resultsDir();
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            return report.usageError(options + ": " + e.getMessage());
        }
        if (hr != null || lr != null) {
            sets.add(new TestOptions.TestSet("test", hr, lr, annotations));
        }
        if (sets.isEmpty()) {
            return report.usageError("give --hr DIR (and/or --lr DIR), or --options with datasets");
        }
        if (out == null) {
            return report.usageError("give -o OUT, or --options with path.root and name");
        }
        if (bicubic && model != null) {
            return report.usageError("give --model or --bicubic, not both");
        }
        if (!bicubic && model == null && config != null) {
            return report.usageError(options + " describes a network but names no weights"
                    + " (solver.pretrained_path); give --model");
        }
        if (lrResample != null && sets.stream().anyMatch(set -> set.hr() == null || set.lr() != null)) {
            return report.usageError("--lr-resample cuts the LR faces out of the HR images: it takes --hr (and"
                    + " dataroot_HR) without given LR images");
        }
        if (bicubic && attention != AttentionSource.landmarks) {
            return report.usageError("--attention changes DIC; bicubic has none");
        }
        if (batch < 1 || workers < 1) {
            return report.usageError("--batch and --workers must be at least 1");
        }
        DicPredictor predictor = null;
        LandmarkDetector detector = null;
        try {
            if (!bicubic) {
                StateDict weights = model == null ? BuiltInModel.read() : StateDict.read(model);
                DicConfig.Attention source = attention == AttentionSource.uniform ? DicConfig.Attention.UNIFORM
                        : DicConfig.Attention.LANDMARKS;
                predictor = DicPredictor.load(weights,
                        (config != null ? config : DicWeights.configOf(weights)).withAttention(source),
                        precision.get(spec.commandLine().getErr()));
            }
            detector = landmarkModel == null ? null : landmarkModel.equals(BUILT_IN) ? LandmarkDetector.builtIn()
                    : LandmarkDetector.load(Path.of(landmarkModel));
            Upscaler upscaler = predictor == null ? Upscaler.bicubic(SampleOptions.EVALUATION.hrSize())
                    : Upscaler.dic(predictor);
            MetricMode mode = metricMode == Mode.reference ? MetricMode.REFERENCE : MetricMode.STANDARD;
            Evaluation.Settings settings = new Evaluation.Settings(mode, Evaluation.Settings.PAPER.border(),
                    Evaluation.Settings.PAPER.gridFaces());
            List<String> prose = new ArrayList<>();
            ObjectNode details = RunReport.JSON.createObjectNode().put("output", out.toString());
            ArrayNode setResults = details.putArray("sets");
            for (TestOptions.TestSet set : sets) {
                Path dir = sets.size() == 1 ? out : out.resolve(set.name());
                Evaluation.Summary s = run(set, new Evaluation(upscaler, settings, dir, detector));
                prose.add(prose(set, s, dir));
                setResults.add(json(set, s, dir));
            }
            return report.finish(String.join(System.lineSeparator(), prose), details);
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            return report.failure(e.getMessage());
        } finally {
            if (predictor != null) {
                predictor.close();
            }
            if (detector != null) {
                detector.close();
            }
        }
    }

    private Evaluation.Summary run(TestOptions.TestSet set, Evaluation evaluation) throws IOException {
        FaceDataset opened = FaceDataset.open(set.hr() == null ? null : set.annotations(),
                set.hr() != null ? set.hr() : set.lr());
        FaceDataset dataset = imageList == null ? opened : opened.subset(imageList, true);
        report.addInputs(dataset.size());
        Map<String, Path> givenLr = set.hr() != null && set.lr() != null ? lrFiles(set.lr(), dataset) : null;
        Evaluation.Summary s;
        SampleOptions sampling = lrResample == null ? SampleOptions.EVALUATION
                : SampleOptions.EVALUATION.withLrResample(LrResample.EVALUATION);
        try (FaceLoader loader = new FaceLoader(dataset, new SampleMaker(sampling),
                        FaceLoader.Options.inOrder(batch, workers, lrResample == null ? 0 : lrResample));
                Progress progress = progressOptions.start(set.name(), "faces", dataset.size(),
                        spec.commandLine().getErr())) {
            Iterator<List<FaceSample>> batches = set.hr() == null ? lrOnly(dataset)
                    : givenLr == null ? loader.epoch() : withGivenLr(loader.epoch(), givenLr);
            s = evaluation.run(batches, progress::stepBy);
        }
        report.addWritten(s.faces());
        return s;
    }

    /** The set's summary in words; an LR-only set has nothing to score. */
    private String prose(TestOptions.TestSet set, Evaluation.Summary s, Path dir) {
        if (Double.isNaN(s.psnr())) {
            return String.format("test %s: %d faces super-resolved into %s (no HR: not scored)", set.name(),
                    s.faces(), dir);
        }
        String text = String.format(Locale.ROOT, "test %s (%s%s): %d faces -> %s%n  PSNR %.2f dB  SSIM %.4f  %.4f"
                + " s/face   (bicubic: PSNR %.2f dB  SSIM %.4f)%s", set.name(), s.method(),
                lrResample == null ? "" : ", faces resampled with seed " + lrResample, s.faces(), dir,
                s.psnr(), s.ssim(), s.seconds(), s.bicubicPsnr(), s.bicubicSsim(),
                s.nme() == null ? "" : String.format(Locale.ROOT, "  NME %.4f", s.nme()));
        if (s.stepPsnr().size() > 1) {
            text += String.format(Locale.ROOT, "%n  per step: PSNR %s dB", Evaluation.joined(s.stepPsnr(), "%.2f"))
                    + (s.stepNme().isEmpty() ? "" : ", NME " + Evaluation.joined(s.stepNme(), "%.4f"));
        }
        return s.detector() == null ? text : text + String.format(Locale.ROOT,
                "%n  landmark detector NME: SR %.4f, bicubic %.4f", s.detector().sr(), s.detector().bicubic());
    }

    /** The set's summary for --json: its averages, null where a set has none (no HR, no landmarks, no detector). */
    private static ObjectNode json(TestOptions.TestSet set, Evaluation.Summary s, Path dir) {
        ObjectNode o = RunReport.JSON.createObjectNode().put("name", set.name()).put("method", s.method())
                .put("output", dir.toString()).put("faces", s.faces());
        ObjectNode averages = o.putObject("averages");
        RunReport.putNumber(averages, "psnr", s.psnr());
        RunReport.putNumber(averages, "ssim", s.ssim());
        RunReport.putNumber(averages, "ssim_standard", s.ssimStandard());
        RunReport.putNumber(averages, "seconds_per_face", s.seconds());
        RunReport.putNumber(averages, "bicubic_psnr", s.bicubicPsnr());
        RunReport.putNumber(averages, "bicubic_ssim", s.bicubicSsim());
        RunReport.putNumber(averages, "nme", s.nme());
        RunReport.putNumber(averages, "detector_nme", s.detector() == null ? null : s.detector().sr());
        RunReport.putNumber(averages, "bicubic_detector_nme", s.detector() == null ? null : s.detector().bicubic());
        s.stepPsnr().forEach(averages.putArray("step_psnr")::add);
        s.stepNme().forEach(averages.putArray("step_nme")::add);
        return o;
    }

    /** The LR file of every HR face, matched by file stem. */
    private static Map<String, Path> lrFiles(Path lrDir, FaceDataset hr) throws IOException {
        Map<String, Path> byStem = new HashMap<>();
        for (FaceRecord r : FaceDataset.open(null, lrDir).records()) {
            byStem.put(FileNames.stem(r.name()), r.image());
        }
        Map<String, Path> out = new HashMap<>();
        List<String> missing = new ArrayList<>();
        for (FaceRecord r : hr.records()) {
            Path p = byStem.get(FileNames.stem(r.name()));
            if (p == null) {
                missing.add(r.name());
            } else {
                out.put(r.name(), p);
            }
        }
        if (!missing.isEmpty()) {
            throw new AnnotationException(lrDir, 0, "no LR image for " + missing.size() + " HR faces, e.g. "
                    + String.join(", ", missing.subList(0, Math.min(5, missing.size()))));
        }
        return out;
    }

    private static Iterator<List<FaceSample>> withGivenLr(Iterator<List<FaceSample>> batches, Map<String, Path> lr) {
        return map(batches, s -> new FaceSample(s.name(), s.hr(), readLr(lr.get(s.name())), s.landmarks(),
                s.heatmaps(), s.heatmapSize()));
    }

    private Iterator<List<FaceSample>> lrOnly(FaceDataset dataset) {
        Iterator<FaceRecord> records = dataset.records().iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return records.hasNext();
            }

            @Override
            public List<FaceSample> next() {
                List<FaceSample> b = new ArrayList<>();
                while (records.hasNext() && b.size() < batch) {
                    FaceRecord r = records.next();
                    b.add(new FaceSample(r.name(), null, readLr(r.image()), null, null, 0));
                }
                return b;
            }
        };
    }

    private static Iterator<List<FaceSample>> map(Iterator<List<FaceSample>> batches, UnaryOperator<FaceSample> f) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return batches.hasNext();
            }

            @Override
            public List<FaceSample> next() {
                return batches.next().stream().map(f).toList();
            }
        };
    }

    /** A given LR image; other sizes than 16x16 are resized (Pillow bicubic). */
    private static BufferedImage readLr(Path file) {
        try {
            int s = SampleOptions.EVALUATION.lrSize();
            return PilResize.resizeIfNeeded(Images.readRgb(file), s, s);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }
}
