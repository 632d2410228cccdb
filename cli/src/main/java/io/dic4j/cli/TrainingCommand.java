package io.dic4j.cli;

import io.dic4j.train.DicTask;
import io.dic4j.train.LandmarkTask;
import io.dic4j.train.TrainOptions;
import io.dic4j.train.Trainer;
import io.dic4j.train.TrainingDivergedException;
import io.dic4j.train.TrainingRun;
import io.dic4j.util.MemoryAllocator;
import io.dic4j.util.OptionFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What {@code dic4j train} and {@code dic4j train-landmarks} share: an option file, an output folder, resume. */
abstract class TrainingCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "JSON",
            description = "Option file: the authors' train_DIC_*.json or train_DICGAN_*.json (paths replaced), or"
                    + " dic4j's options.json.")
    Path config;

    @Option(names = {"-o", "--output"}, paramLabel = "OUT",
            description = "Output folder (default: <path.root>/experiments/<name> as the reference, or"
                    + " experiments/<name> when the option file has no path.root): log, curves, checkpoints,"
                    + " validation.")
    Path out;

    @Option(names = "--resume", paramLabel = "CHECKPOINT",
            description = "Continue a run from its checkpoint (e.g. OUT/checkpoints/last.safetensors).")
    Path resume;

    @Option(names = "--no-progress", description = "Show no progress, as --quiet does.")
    boolean noProgress;

    @Mixin
    ProgressOptions progressOptions;

    abstract TrainingRun.Kind kind();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        TrainOptions options;
        try {
            List<String> ignored = new ArrayList<>();
            options = TrainOptions.fromJson(OptionFiles.read(config), ignored);
            if (!ignored.isEmpty()) {
                err.println("note: " + config + ": ignored (nothing to do here): " + String.join(", ", ignored));
            }
        } catch (IOException | IllegalArgumentException e) {
            err.println("error: " + (e instanceof IOException ? "" : config + ": ") + e.getMessage());
            return ExitCodes.USAGE;
        }
        Path dir = out != null ? out : options.experimentDir();
        String allocatorWarning = MemoryAllocator.slowAllocatorWarning();
        if (allocatorWarning != null) {
            err.println("warning: " + allocatorWarning);
        }
        try {
            String metric = kind() == TrainingRun.Kind.DIC ? DicTask.PSNR : LandmarkTask.NME;
            Progress.Display display = noProgress ? Progress.Display.NONE : progressOptions.display();
            Trainer.Summary s = TrainingRun.run(options, kind(), dir, resume,
                    new TrainingProgress(display, err, metric, dir.resolve(TrainingProgress.CURVES)));
            // a run whose val_freq exceeds its iterations, or without a val set, has no best score (NaN)
            String best = Double.isNaN(s.best()) ? "no validation ran" : String.format(Locale.ROOT,
                    "best %s %.4f at step %d", kind() == TrainingRun.Kind.DIC ? "PSNR" : "NME", s.best(),
                    s.bestStep());
            err.printf(Locale.ROOT, "trained %d iterations into %s (last loss %.5f); %s%n", s.steps(), dir,
                    s.lastLoss(), best);
            err.println("model: " + dir.resolve(Trainer.MODEL));
            return 0;
        } catch (TrainingDivergedException e) {
            err.println("error: " + e.getMessage()); // it names the last good checkpoint itself
            return ExitCodes.FAILED;
        } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            err.println("the last checkpoint, if any, is " + dir.resolve(Trainer.CHECKPOINTS).resolve(Trainer.LAST));
            return ExitCodes.FAILED;
        }
    }
}
