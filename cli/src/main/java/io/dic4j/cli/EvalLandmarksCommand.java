package io.dic4j.cli;

import io.dic4j.data.FaceDataset;
import io.dic4j.data.FaceLoader;
import io.dic4j.data.SampleMaker;
import io.dic4j.data.SampleOptions;
import io.dic4j.eval.LandmarkEvaluation;
import io.dic4j.infer.LandmarkDetector;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dic4j eval-landmarks}: the paper's landmark evaluation of a folder of faces (SR results, or HR). */
@Command(
        name = "eval-landmarks",
        mixinStandardHelpOptions = true,
        header = "Scores how well faces keep their landmarks.",
        description = {
            "The authors' landmark evaluation (eval_landmark.py): a landmark model, their stacked hourglass"
                    + " HG_68_CelebA.pth or a model of dic4j train-landmarks --arch stacked, finds the 68 points on"
                    + " each face. Per face, the RMSE is divided by the face width, by the x distance of the outer"
                    + " eye corners and by that of the eye centres; the standard NME (outer eye corners) is added.",
            "Faces are cropped and resized to 128x128 as the data pipeline does; a 128x128 SR image with landmarks"
                    + " in its pixels stays as it is. Writes OUT/landmark_result.json and"
                    + " OUT/landmark_average_result.txt."
        },
        footerHeading = Main.EXAMPLES_HEADING,
        footer = {
            "  dic4j eval-landmarks --images out/dic/sr --model HG_68_CelebA.pth \\",
            "      --annotations out/dic/sr/info_list.pkl -o out/dic/landmarks",
            "  dic4j eval-landmarks --images faces/ --annotations faces/bboxes.csv \\",
            "      --model out/stacked/model.safetensors"
        })
final class EvalLandmarksCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--images", required = true, paramLabel = "DIR", description = "Folder of face images.")
    Path images;

    @Option(names = "--annotations", paramLabel = "FILE",
            description = "Landmarks: the authors' pickle (name -> {landmark, bbox}, or name -> 68x2 points as"
                    + " their evaluation uses), a box CSV or a folder of .pts files (default: .pts beside the images).")
    Path annotations;

    @Option(names = "--model", required = true, paramLabel = "FILE",
            description = "Landmark model weights: a stacked hourglass (HG_68_CelebA.pth) or a feedback one.")
    Path model;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "Where the two result files go (default: the images folder, as the reference).")
    Path out;

    @Option(names = "--image-list", paramLabel = "FILE",
            description = "Score only the faces named in FILE (one image name per line).")
    Path imageList;

    @Option(names = "--batch", defaultValue = "8", paramLabel = "N", description = "Faces per forward pass.")
    int batch;

    @Option(names = "--workers", defaultValue = "2", paramLabel = "N", description = "Threads preparing faces.")
    int workers;

    @Mixin
    ProgressOptions progressOptions;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (batch < 1 || workers < 1) {
            err.println("error: --batch and --workers must be at least 1");
            return ExitCodes.USAGE;
        }
        Path dir = out != null ? out : images;
        try (LandmarkDetector detector = LandmarkDetector.load(model)) {
            FaceDataset opened = FaceDataset.open(annotations, images);
            FaceDataset dataset = imageList == null ? opened : opened.subset(imageList, true);
            LandmarkEvaluation.Result r;
            try (FaceLoader loader = new FaceLoader(dataset, new SampleMaker(SampleOptions.EVALUATION),
                            FaceLoader.Options.inOrder(batch, workers));
                    Progress progress = progressOptions.start("eval-landmarks", "faces", dataset.size(), err)) {
                r = new LandmarkEvaluation(detector).run(loader.epoch(), progress::stepBy);
            }
            LandmarkEvaluation.write(r, dir);
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.printf(Locale.ROOT, "%d faces%n", r.names().size());
            r.means().forEach((k, v) -> stdout.printf(Locale.ROOT, "%s: %.4f%n", k, v));
            stdout.flush();
            err.println("results: " + dir.resolve(LandmarkEvaluation.RESULT_JSON) + ", "
                    + dir.resolve(LandmarkEvaluation.AVERAGE_TXT));
            return 0;
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.FAILED;
        }
    }
}
