package io.dic4j.cli;

import io.dic4j.infer.DicPredictor;
import io.dic4j.infer.Precision;
import io.dic4j.infer.WorkingMemory;
import io.dic4j.model.DicConfig;
import io.dic4j.util.OptionFiles;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The DIC model a command runs ({@code --model}, {@code --options}): a picocli mixin of upscale, enhance and serve. */
final class ModelOptions {

    @Option(names = "--model", paramLabel = "FILE",
            description = "Weights: a .pth of the authors (a state_dict or a checkpoint), an .npz, or a dic4j"
                    + " .safetensors; the built-in model by default.")
    Path model;

    @Option(names = "--options", paramLabel = "JSON",
            description = "The authors' option file (its 'networks' section) instead of inferring the config.")
    Path options;

    @Mixin
    PrecisionOption precision;

    /** What is wrong with the pair, or null. */
    String usageError() {
        return options != null && model == null
                ? "--options gives the shape of the network in --model; give --model too" : null;
    }

    /**
     * The predictor, with the memory of forwards at up to {@code batch} faces faulted in while it loads; keys of the
     * option file that are not about the network are noted on {@code err}.
     */
    DicPredictor open(PrintWriter err, int batch) throws IOException {
        try (WorkingMemory memory = model == null ? WorkingMemory.reserveForBuiltIn(batch)
                : WorkingMemory.reserveFor(batch)) {
            Precision p = precision.get(err);
            return model == null ? DicPredictor.builtIn(p)
                    : DicPredictor.load(model, options == null ? null : readOptions(options, err), p);
        }
    }

    private static DicConfig readOptions(Path file, PrintWriter err) throws IOException {
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
}
