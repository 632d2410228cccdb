package io.dic4j.cli;

import io.dic4j.data.FaceBox;
import io.dic4j.data.FaceRecord;
import io.dic4j.data.LandmarkFiles;
import io.dic4j.image.ImageReadException;
import io.dic4j.image.Images;
import io.dic4j.infer.LandmarkDetector;
import io.dic4j.util.FileNames;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dic4j landmarks}: labels aligned faces with 68 points, so unlabelled sets become training data. */
@Command(
        name = "landmarks",
        mixinStandardHelpOptions = true,
        header = "Labels face images with 68 landmarks.",
        description = {
            "Finds the 68 landmarks of each aligned face image with a feedback hourglass: a model of dic4j"
                    + " train-landmarks, the authors' FB_HG_68_*.pth, or the hourglass of a DIC model (by default"
                    + " the built-in model's).",
            "Writes OUT/<name>.pts (300-W format) per face and OUT/info_list.pkl, the authors' annotation format"
                    + " with boxes around the points, so that an unlabelled set becomes training data: give it as"
                    + " info_path with dataroot_HR = the input folder. Inputs that cannot be read are named and the"
                    + " exit code is then 1."
        },
        footerHeading = Main.EXAMPLES_HEADING,
        footer = {
            "  dic4j landmarks ../shared/data/utkface -o out/utkface-labels",
            "  dic4j landmarks faces/ -o labels/ --model out/hg/model.safetensors"
        })
final class LandmarksCommand implements Callable<Integer> {

    static final String INFO_LIST = "info_list.pkl";

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Face images or folders of them.")
    List<Path> inputs;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT", description = "Output folder.")
    Path out;

    @Option(names = "--model", paramLabel = "FILE",
            description = "Hourglass or DIC weights (default: the built-in model's alignment branch).")
    Path model;

    @Option(names = "--batch", defaultValue = "8", paramLabel = "N", description = "Faces per forward pass.")
    int batch;

    @Mixin
    ProgressOptions progressOptions;

    @Override
    public Integer call() {
        RunReport report = new RunReport(spec, false);
        if (batch < 1) {
            return report.usageError("--batch must be at least 1, got " + batch);
        }
        List<Path> files = InputFiles.expand(inputs, report, FileNames::isImage);
        report.addInputs(files.size());
        // names relative to a single input folder (dataroot_HR); absolute otherwise, which any root resolves
        Path root = inputs.size() == 1 && Files.isDirectory(inputs.get(0)) ? inputs.get(0) : null;
        List<FaceRecord> records = new ArrayList<>();
        try (LandmarkDetector detector = model == null ? LandmarkDetector.builtIn() : LandmarkDetector.load(model)) {
            Files.createDirectories(out);
            try (Progress progress = progressOptions.start("landmarks", "faces", files.size(),
                    spec.commandLine().getErr())) {
                for (int i = 0; i < files.size(); i += batch) {
                    List<Path> chunk = files.subList(i, Math.min(i + batch, files.size()));
                    List<Path> read = new ArrayList<>();
                    List<BufferedImage> images = new ArrayList<>();
                    for (Path f : chunk) {
                        try {
                            images.add(Images.readRgb(f));
                            read.add(f);
                        } catch (ImageReadException e) {
                            report.fail(f, e.reason());
                        }
                    }
                    List<float[][]> found = images.isEmpty() ? List.of() : detector.detect(images);
                    for (int j = 0; j < read.size(); j++) {
                        Path f = read.get(j);
                        double[][] points = toDouble(found.get(j));
                        LandmarkFiles.writePts(out.resolve(FileNames.stem(f) + ".pts"), points);
                        String name = root != null ? root.relativize(f).toString() : f.toAbsolutePath().toString();
                        records.add(new FaceRecord(name, f, points, FaceBox.around(points)));
                    }
                    report.addWritten(read.size());
                    progress.stepBy(chunk.size());
                }
            }
            LandmarkFiles.writeInfoList(out.resolve(INFO_LIST), records);
        } catch (IOException | IllegalArgumentException e) {
            return report.failure(e.getMessage());
        }
        return report.finish(String.format("landmarks: %d faces -> %s (%s)", records.size(), out, INFO_LIST),
                RunReport.JSON.createObjectNode());
    }

    private static double[][] toDouble(float[][] points) {
        double[][] out = new double[points.length][];
        for (int i = 0; i < points.length; i++) {
            out[i] = new double[] {points[i][0], points[i][1]};
        }
        return out;
    }
}
