package io.dic4j.cli;

import io.dic4j.enhance.FaceDetector;
import io.dic4j.enhance.FaceEnhancer;
import io.dic4j.image.ImageReadException;
import io.dic4j.image.Images;
import io.dic4j.util.AtomicFiles;
import io.dic4j.util.FileNames;
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

/** {@code dic4j enhance}: finds the faces in photos and super-resolves them in place. */
@Command(
        name = "enhance",
        mixinStandardHelpOptions = true,
        header = "Super-resolves the faces in photos.",
        description = {
            "Each INPUT, an image file or a folder of images, becomes OUT_DIR/<name>.png: the photo upscaled"
                    + " --upscale times with Pillow's bicubic filter, each small face found by BlazeFace aligned to"
                    + " DIC's framing, super-resolved and blended in. OUT_DIR/<name>.json lists the faces, in input"
                    + " pixels (continuous: pixel i spans [i, i+1)): box, score, keypoints (BlazeFace's six: eyes,"
                    + " nose tip, mouth centre, ears), DIC's 68 landmarks, and whether each was enhanced or why not.",
            "Inputs that cannot be read are named with the reason while the others are still processed; the exit"
                    + " code is then 1. Outputs are written whole or not at all."
        },
        footerHeading = Main.EXAMPLES_HEADING,
        footer = {
            "  dic4j enhance photo.jpg -o out/",
            "  dic4j enhance photos/ -o out/ --upscale 4 --max-faces 10 --save-faces",
            "  dic4j enhance group.png -o out/ --only-center-face --json > summary.json"
        })
final class EnhanceCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "Photos: image files or folders of them.")
    List<Path> inputs;

    @Option(names = {"-o", "--output"}, required = true, paramLabel = "OUT_DIR", description = "Output folder (created if needed).")
    Path outDir;

    @Option(names = "--upscale", defaultValue = "8", paramLabel = "S",
            description = "The output's size over the input's (default ${DEFAULT-VALUE}).")
    int upscale;

    @Option(names = "--only-center-face", description = "Enhance only the face nearest the photo's centre.")
    boolean onlyCentreFace;

    @Option(names = "--max-faces", paramLabel = "N", description = "Enhance at most N faces, the best-scoring.")
    Integer maxFaces;

    @Option(names = "--min-score", paramLabel = "P", defaultValue = "0.5",
            description = "The detector's minimum score, 0..1 (default ${DEFAULT-VALUE}).")
    double minScore;

    @Option(names = "--save-faces",
            description = "Also write each face's aligned 16x16 crop and DIC's 128x128 result:"
                    + " <name>_face<k>_lr.png, <name>_face<k>_sr.png.")
    boolean saveFaces;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    JsonOption jsonOption;

    @Mixin
    ProgressOptions progressOptions;

    private RunReport report;

    @Override
    public Integer call() {
        report = jsonOption.report(spec);
        FaceEnhancer.Options options;
        try {
            options = new FaceEnhancer.Options(upscale, minScore, maxFaces == null ? Integer.MAX_VALUE : maxFaces,
                    onlyCentreFace, FaceEnhancer.Options.DEFAULT.minFaceSide(),
                    FaceEnhancer.Options.DEFAULT.maxFaceSide());
        } catch (IllegalArgumentException e) {
            return report.usageError(e.getMessage());
        }
        String modelUsage = modelOptions.usageError();
        if (modelUsage != null) {
            return report.usageError(modelUsage);
        }
        List<Path> files = InputFiles.uniqueStems(InputFiles.expand(inputs, report, file -> true), report);
        report.addInputs(files.size());
        PrintWriter err = spec.commandLine().getErr();
        FaceEnhancer enhancer;
        try {
            Files.createDirectories(outDir);
            FaceDetector detector = FaceDetector.builtIn();
            try {
                // most photos hold one face, and a pass at one face needs a fraction of the memory of eight
                enhancer = new FaceEnhancer(detector, modelOptions.open(err, 1));
            } catch (IOException | RuntimeException e) {
                detector.close();
                throw e;
            }
        } catch (IOException | IllegalArgumentException e) {
            return report.usageError(e.getMessage());
        }
        int faces = 0;
        int enhanced = 0;
        try (enhancer; Progress progress = progressOptions.start("enhance", "photos", files.size(), err)) {
            for (Path file : files) {
                try {
                    FaceEnhancer.Result r = enhancer.enhance(Images.readRgb(file), options);
                    write(file, r);
                    report.addWritten(1);
                    faces += r.faces().size();
                    enhanced += (int) r.faces().stream().filter(FaceEnhancer.Face::enhanced).count();
                } catch (ImageReadException e) {
                    report.fail(file, e.reason());
                } catch (IOException e) {
                    report.fail(file, "cannot write its output (" + e.getMessage() + ")");
                }
                progress.stepBy(1);
            }
        }
        return report.finish(String.format(Locale.ROOT, "enhance: %d photo(s) written to %s, %d failed; %d face(s)"
                + " found, %d enhanced (%.1f s)", report.written(), outDir, report.failedCount(), faces, enhanced,
                report.seconds()), RunReport.JSON.createObjectNode().put("output", outDir.toString())
                .put("faces", faces).put("enhanced", enhanced));
    }

    /** Writes a photo's outputs; if any cannot be written, those already written are removed. */
    private void write(Path input, FaceEnhancer.Result r) throws IOException {
        String stem = FileNames.stem(input);
        List<Path> written = new ArrayList<>();
        try {
            Path png = outDir.resolve(stem + ".png");
            Images.writePng(r.image(), png);
            written.add(png);
            Path json = outDir.resolve(stem + ".json");
            byte[] doc = r.jsonFile(input.toString(), upscale);
            AtomicFiles.write(json, out -> out.write(doc));
            written.add(json);
            if (saveFaces) {
                for (int k = 0; k < r.faces().size(); k++) {
                    FaceEnhancer.Face face = r.faces().get(k);
                    if (face.lr() != null) {
                        written.add(savePng(face.lr(), stem + "_face" + k + "_lr.png"));
                        written.add(savePng(face.sr(), stem + "_face" + k + "_sr.png"));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            for (Path p : written) {
                Files.deleteIfExists(p);
            }
            throw e;
        }
    }

    private Path savePng(BufferedImage image, String name) throws IOException {
        Path p = outDir.resolve(name);
        Images.writePng(image, p);
        return p;
    }
}
