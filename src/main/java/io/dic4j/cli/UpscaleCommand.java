package io.dic4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dic4j.image.ImageReadException;
import io.dic4j.image.Images;
import io.dic4j.image.LandmarkOverlay;
import io.dic4j.image.PilResize;
import io.dic4j.infer.DicPredictor;
import io.dic4j.model.DicConfig;
import io.dic4j.util.AtomicFiles;
import io.dic4j.util.FileNames;
import io.dic4j.util.OptionFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
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

    static final int EXIT_FAILED_INPUTS = 1;
    static final int EXIT_USAGE = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    enum StepsOutput { last, all }

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Image files or folders of images.")
    List<Path> inputs;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT_DIR", description = "Output folder.")
    Path outDir;

    @Option(names = "--model", paramLabel = "FILE",
            description = "Weights: the authors' .pth (state_dict or checkpoint), .npz, or a dic4j .safetensors.")
    Path model;

    @Option(names = "--options", paramLabel = "JSON",
            description = "The authors' option file (its 'networks' section) instead of inferring the config.")
    Path options;

    @Option(names = "--steps", defaultValue = "last", paramLabel = "last|all",
            description = "Write the last step only (default), or every step as <name>_step<k>.png too.")
    StepsOutput steps;

    @Option(names = "--landmarks",
            description = "Also write the 68 predicted points: <name>_landmarks.json and an overlay PNG.")
    boolean landmarks;

    @Option(names = "--batch", defaultValue = "8", paramLabel = "N", description = "Faces per forward pass.")
    int batch;

    private PrintWriter err;

    @Override
    public Integer call() {
        err = spec.commandLine().getErr();
        if (model == null) {
            err.println("error: dic4j has no built-in model yet: pass --model FILE (the authors' DIC .pth"
                    + " checkpoint or state_dict, an .npz, or a dic4j .safetensors)");
            return EXIT_USAGE;
        }
        if (batch < 1) {
            err.println("error: --batch must be at least 1, got " + batch);
            return EXIT_USAGE;
        }
        InputFiles.Expanded expanded = InputFiles.expand(inputs, err);
        List<Path> files = expanded.files();
        int failed = expanded.missing();
        DicPredictor predictor;
        try {
            predictor = DicPredictor.load(model, options == null ? null : readOptions(options));
            Files.createDirectories(outDir);
        } catch (IOException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return EXIT_USAGE;
        }
        int written = 0;
        try (predictor; ProgressBar bar = new ProgressBarBuilder().setTaskName("upscale").setInitialMax(files.size())
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err)).continuousUpdate().build()) {
            Map<String, Path> names = new HashMap<>();
            List<Path> batchFiles = new ArrayList<>();
            List<BufferedImage> batchImages = new ArrayList<>();
            for (int i = 0; i < files.size(); i++) {
                Path file = files.get(i);
                String stem = FileNames.stem(file);
                Path previous = names.putIfAbsent(stem, file);
                if (previous != null) {
                    err.println("error: " + file + ": its output name " + stem + ".png is taken by " + previous);
                    failed++;
                } else {
                    try {
                        batchImages.add(toLowRes(file, Images.readRgb(file)));
                        batchFiles.add(file);
                    } catch (ImageReadException e) {
                        err.println("error: " + e.getMessage());
                        failed++;
                    }
                }
                bar.step();
                if (batchImages.size() == batch || i == files.size() - 1) {
                    int[] result = writeBatch(predictor, batchFiles, batchImages);
                    written += result[0];
                    failed += result[1];
                    batchFiles.clear();
                    batchImages.clear();
                }
            }
        }
        err.printf("upscale: %d face(s) written to %s, %d failed%n", written, outDir, failed);
        return failed > 0 ? EXIT_FAILED_INPUTS : 0;
    }

    private DicConfig readOptions(Path file) throws IOException {
        List<String> ignored = new ArrayList<>();
        DicConfig config;
        try {
            config = DicConfig.fromJson(OptionFiles.read(file), ignored);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        if (!ignored.isEmpty()) {
            err.println("note: " + file + ": ignored (not about the network): " + String.join(", ", ignored));
        }
        return config;
    }

    private BufferedImage toLowRes(Path file, BufferedImage image) {
        int s = DicPredictor.INPUT_SIZE;
        if (image.getWidth() == s && image.getHeight() == s) {
            return image;
        }
        err.printf("warning: %s is %dx%d, resized to %dx%d (Pillow bicubic)%s%n", file, image.getWidth(),
                image.getHeight(), s, s, image.getWidth() == image.getHeight() ? "" : "; the aspect ratio changes");
        return PilResize.resize(image, s, s);
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
                write(files.get(i), results.get(i));
                written++;
            } catch (IOException e) {
                err.println("error: " + files.get(i) + ": cannot write its output (" + e.getMessage() + ")");
                failed++;
            }
        }
        return new int[] {written, failed};
    }

    private void write(Path input, DicPredictor.Result r) throws IOException {
        String stem = FileNames.stem(input);
        Images.writePng(r.sr(), outDir.resolve(stem + ".png"));
        if (steps == StepsOutput.all) {
            for (int t = 0; t < r.steps().size(); t++) {
                Images.writePng(r.steps().get(t), outDir.resolve(stem + "_step" + (t + 1) + ".png"));
            }
        }
        if (landmarks) {
            ObjectNode json = JSON.createObjectNode();
            json.put("input", input.toString());
            json.putArray("size").add(r.sr().getWidth()).add(r.sr().getHeight());
            json.put("scheme", "68-point iBUG, 0-based, (x, y) in SR pixels");
            ArrayNode points = json.putArray("points");
            for (float[] p : r.landmarks()) {
                points.addArray().add(p[0]).add(p[1]);
            }
            AtomicFiles.write(outDir.resolve(stem + "_landmarks.json"),
                    out -> JSON.writerWithDefaultPrettyPrinter().writeValue(out, json));
            Images.writePng(LandmarkOverlay.draw(r.sr(), r.landmarks()), outDir.resolve(stem + "_landmarks.png"));
        }
    }
}
