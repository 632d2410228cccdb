package io.dic4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dic4j.image.ComparisonGrid;
import io.dic4j.image.ImageReadException;
import io.dic4j.image.Images;
import io.dic4j.image.LandmarkOverlay;
import io.dic4j.image.PilResize;
import io.dic4j.infer.DicPredictor;
import io.dic4j.util.AtomicFiles;
import io.dic4j.util.FileNames;
import io.dic4j.util.Prefetcher;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dic4j upscale}: super-resolves face images (files or folders) into 128×128 PNGs. */
@Command(
        name = "upscale",
        mixinStandardHelpOptions = true,
        description = {
            "Super-resolves faces 8x (16x16 -> 128x128) with DIC.",
            "Aligned face crops are the expected input; other sizes are resized to 16x16 (Pillow bicubic).",
            "Outputs <name>.png per input in OUT_DIR; inputs that fail are named and the exit code is 1."
        })
final class UpscaleCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    enum StepsOutput { last, all }

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Image files or folders of images.")
    List<Path> inputs;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT_DIR", description = "Output folder.")
    Path outDir;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--steps", defaultValue = "last", paramLabel = "last|all",
            description = "Write the last step only (default), or every step as <name>_step<k>.png too.")
    StepsOutput steps;

    @Option(names = "--landmarks",
            description = "Also write the 68 predicted points: <name>_landmarks.json and an overlay PNG.")
    boolean landmarks;

    @Option(names = "--compare", description = "Also write <name>_compare.png: bicubic and DIC side by side.")
    boolean compare;

    @Option(names = "--batch", defaultValue = "8", paramLabel = "N", description = "Faces per forward pass.")
    int batch;

    private PrintWriter err;

    @Override
    public Integer call() {
        err = spec.commandLine().getErr();
        if (batch < 1) {
            err.println("error: --batch must be at least 1, got " + batch);
            return ExitCodes.USAGE;
        }
        String modelUsage = modelOptions.usageError();
        if (modelUsage != null) {
            err.println("error: " + modelUsage);
            return ExitCodes.USAGE;
        }
        InputFiles.Expanded expanded = InputFiles.expand(inputs, err);
        List<Path> files = expanded.files();
        int failed = expanded.missing();
        DicPredictor predictor;
        try {
            predictor = modelOptions.open(err);
            Files.createDirectories(outDir);
        } catch (IOException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        Map<String, Path> names = new HashMap<>();
        List<Path> accepted = new ArrayList<>();
        for (Path file : files) {
            Path previous = names.putIfAbsent(FileNames.stem(file), file);
            if (previous != null) {
                err.println("error: " + file + ": its output name " + FileNames.stem(file) + ".png is taken by "
                        + previous);
                failed++;
            } else {
                accepted.add(file);
            }
        }
        int written = 0;
        long start = System.nanoTime();
        try (predictor; Prefetcher<Path, Decoded> decoded = new Prefetcher<>(accepted, UpscaleCommand::decode,
                2 * batch); ProgressBar bar = ProgressBars.of("upscale", accepted.size()).continuousUpdate().build()) {
            List<Path> batchFiles = new ArrayList<>();
            List<BufferedImage> batchImages = new ArrayList<>();
            while (decoded.hasNext()) {
                Decoded d = decoded.next();
                if (d.error() != null) {
                    err.println("error: " + d.error());
                    failed++;
                } else {
                    if (d.warning() != null) {
                        err.println("warning: " + d.warning());
                    }
                    batchImages.add(d.lr());
                    batchFiles.add(d.file());
                }
                bar.step();
                if (batchImages.size() == batch || !decoded.hasNext()) {
                    int[] result = writeBatch(predictor, batchFiles, batchImages);
                    written += result[0];
                    failed += result[1];
                    batchFiles.clear();
                    batchImages.clear();
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        err.printf(Locale.ROOT, "upscale: %d face(s) written to %s, %d failed (%.1f s, %.2f faces/s)%n", written,
                outDir, failed, seconds, written / seconds);
        return failed > 0 ? ExitCodes.FAILED : 0;
    }

    /** An input decoded to a 16×16 RGB face, or why it could not be. */
    private record Decoded(Path file, BufferedImage lr, String warning, String error) {}

    private static Decoded decode(Path file) {
        BufferedImage image;
        try {
            image = Images.readRgb(file);
        } catch (ImageReadException e) {
            return new Decoded(file, null, null, e.getMessage());
        }
        BufferedImage lr = DicPredictor.asInput(image);
        if (lr == image) {
            return new Decoded(file, image, null, null);
        }
        int s = DicPredictor.INPUT_SIZE;
        String warning = String.format("%s is %dx%d, resized to %dx%d (Pillow bicubic)%s", file, image.getWidth(),
                image.getHeight(), s, s, image.getWidth() == image.getHeight() ? "" : "; the aspect ratio changes");
        return new Decoded(file, lr, warning, null);
    }

    /** Runs one batch and writes its outputs; returns {written, failed}. */
    private int[] writeBatch(DicPredictor predictor, List<Path> files, List<BufferedImage> images) {
        if (images.isEmpty()) {
            return new int[] {0, 0};
        }
        List<DicPredictor.Result> results = predictor.predict(images);
        int written = 0;
        int failed = 0;
        for (int i = 0; i < files.size(); i++) {
            try {
                write(files.get(i), images.get(i), results.get(i));
                written++;
            } catch (IOException e) {
                err.println("error: " + files.get(i) + ": cannot write its output (" + e.getMessage() + ")");
                failed++;
            }
        }
        return new int[] {written, failed};
    }

    private void write(Path input, BufferedImage lr, DicPredictor.Result r) throws IOException {
        String stem = FileNames.stem(input);
        Images.writePng(r.sr(), outDir.resolve(stem + ".png"));
        if (compare) {
            int size = r.sr().getWidth();
            Images.writePng(ComparisonGrid.draw(List.of("bicubic", "DIC"),
                    List.of(List.of(PilResize.resize(lr, size, size), r.sr())), size),
                    outDir.resolve(stem + "_compare.png"));
        }
        if (steps == StepsOutput.all) {
            for (int t = 0; t < r.steps().size(); t++) {
                Images.writePng(r.steps().get(t), outDir.resolve(stem + "_step" + (t + 1) + ".png"));
            }
        }
        if (landmarks) {
            ObjectNode json = JSON.createObjectNode();
            json.put("input", input.toString());
            json.setAll(r.landmarksJson());
            AtomicFiles.write(outDir.resolve(stem + "_landmarks.json"),
                    out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, json));
            Images.writePng(LandmarkOverlay.draw(r.sr(), r.landmarks()), outDir.resolve(stem + "_landmarks.png"));
        }
    }
}
