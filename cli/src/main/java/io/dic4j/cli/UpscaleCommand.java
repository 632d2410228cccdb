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
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
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
        header = "Super-resolves face images 8x with DIC.",
        description = {
            "Each INPUT, an image file or a folder of images, becomes OUT_DIR/<name>.png, a 128x128 face. Aligned"
                    + " face crops of 16x16 are the expected input; other sizes are resized to 16x16 with Pillow's"
                    + " bicubic filter, with a warning.",
            "Inputs that cannot be read are named with the reason while the others are still super-resolved; the"
                    + " exit code is then 1. Outputs are written whole or not at all."
        },
        footerHeading = Main.EXAMPLES_HEADING,
        footer = {
            "  dic4j upscale examples/astronaut_lr.png -o out/ --compare",
            "  dic4j upscale faces/ -o out/ --landmarks --steps all",
            "  dic4j upscale faces/ -o out/ --model DIC_CelebA.pth --json > summary.json"
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

    @Mixin
    ImageLimitOptions imageLimitOptions;

    @Option(names = "--steps", defaultValue = "last", paramLabel = "last|all",
            description = "Write the last step only (default), or every step as <name>_step<k>.png too.")
    StepsOutput steps;

    @Option(names = "--landmarks",
            description = "Also write an overlay PNG and <name>_landmarks.json with the 68 predicted points.")
    boolean landmarks;

    @Option(names = "--compare", description = "Also write <name>_compare.png: bicubic and DIC side by side.")
    boolean compare;

    @Option(names = "--batch", defaultValue = "8", paramLabel = "N", description = "Faces per forward pass.")
    int batch;

    @Mixin
    ProgressOptions progressOptions;

    @Mixin
    JsonOption jsonOption;

    private RunReport report;

    @Override
    public Integer call() {
        report = jsonOption.report(spec);
        PrintWriter err = spec.commandLine().getErr();
        if (batch < 1) {
            return report.usageError("--batch must be at least 1, got " + batch);
        }
        String modelUsage = modelOptions.usageError();
        if (modelUsage != null) {
            return report.usageError(modelUsage);
        }
        List<Path> files = InputFiles.expand(inputs, report, file -> true);
        report.addInputs(files.size());
        DicPredictor predictor;
        double loadSeconds;
        try {
            double before = report.seconds();
            predictor = modelOptions.open(err, batch);
            loadSeconds = report.seconds() - before;
            Files.createDirectories(outDir);
        } catch (IOException | IllegalArgumentException e) {
            return report.usageError(e.getMessage());
        }
        List<Path> accepted = InputFiles.uniqueStems(files, report);
        try (predictor; Prefetcher<Path, Decoded> decoded = new Prefetcher<>(accepted, UpscaleCommand::decode,
                2 * batch); Progress progress = progressOptions.start("upscale", "faces", accepted.size(), err)) {
            List<Path> batchFiles = new ArrayList<>();
            List<BufferedImage> batchImages = new ArrayList<>();
            int taken = 0;
            while (decoded.hasNext()) {
                Decoded d = decoded.next();
                taken++;
                if (d.error() != null) {
                    report.fail(d.file(), d.error());
                } else {
                    if (d.warning() != null) {
                        err.println("warning: " + d.warning());
                    }
                    batchImages.add(d.lr());
                    batchFiles.add(d.file());
                }
                if (batchImages.size() == batch || !decoded.hasNext()) {
                    writeBatch(predictor, batchFiles, batchImages);
                    batchFiles.clear();
                    batchImages.clear();
                    // counted once written, so that 100% means the outputs are there
                    progress.stepBy(taken);
                    taken = 0;
                }
            }
        }
        double seconds = report.seconds();
        // the rate after loading is what a longer run approaches, and what `bench` measures
        double afterLoad = report.written() / (seconds - loadSeconds);
        return report.finish(String.format(Locale.ROOT, "upscale: %d face(s) written to %s, %d failed (%.1f s, %.2f"
                + " faces/s; the model loaded in %.1f s, %.2f faces/s after)", report.written(), outDir,
                report.failedCount(), seconds, report.written() / seconds, loadSeconds, afterLoad),
                JSON.createObjectNode().put("output", outDir.toString()).put("load_seconds", loadSeconds)
                        .put("faces_per_second_after_load", afterLoad));
    }

    /** An input decoded to a 16×16 RGB face, or why it could not be ({@code error}, without the file's name). */
    private record Decoded(Path file, BufferedImage lr, String warning, String error) {}

    private static Decoded decode(Path file) {
        BufferedImage image;
        try {
            image = Images.readRgb(file);
        } catch (ImageReadException e) {
            return new Decoded(file, null, null, e.reason());
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

    /** Runs one batch and writes its outputs, each written or failed in the report. */
    private void writeBatch(DicPredictor predictor, List<Path> files, List<BufferedImage> images) {
        if (images.isEmpty()) {
            return;
        }
        List<DicPredictor.Result> results = predictor.predict(images);
        for (int i = 0; i < files.size(); i++) {
            try {
                write(files.get(i), images.get(i), results.get(i));
                report.addWritten(1);
            } catch (IOException e) {
                report.fail(files.get(i), "cannot write its output (" + e.getMessage() + ")");
            }
        }
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
