package io.dic4j.cli;

import io.dic4j.bench.Benchmark;
import io.dic4j.infer.Precision;
import io.dic4j.model.DicConfig;
import io.dic4j.util.OptionFiles;
import io.dic4j.weights.BuiltInModel;
import io.dic4j.weights.DicWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dic4j bench}: how fast DIC runs here, against this machine's own conv ceiling. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        header = "Times DIC against this machine's conv ceiling.",
        description = {
            "Times DIC with random weights: this machine's 3x3 convolution ceiling, sampled before every timed run,"
                    + " then inference per batch size and training steps (forward, backward and Adam), each as the"
                    + " median, minimum and maximum over the repeats after a warm-up, with GFLOP/s and peak memory."
                    + " Prints a Markdown table.",
            "The number of threads is set by DIC4J_JAVA_OPTS=-Dai.djl.pytorch.num_threads=N."
        },
        footerHeading = Main.EXAMPLES_HEADING,
        footer = {
            "  dic4j bench --builtin --batches 1,8 --train-batches 0",
            "  dic4j bench --batches 8 --train-batches 0 --precision fp32,bf16",
            "  DIC4J_JAVA_OPTS=-Dai.djl.pytorch.num_threads=2 dic4j bench --repeats 5"
        })
final class BenchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--options", paramLabel = "JSON",
            description = "Network shape from an option file (its networks section); default: the paper's.")
    Path options;

    @Option(names = "--builtin", description = "The built-in model's network shape instead of the paper's.")
    boolean builtIn;

    @Option(names = "--repeats", defaultValue = "3", paramLabel = "N", description = "Timed runs per measurement.")
    int repeats;

    @Option(names = "--batches", defaultValue = "1,8", split = ",", paramLabel = "N,N",
            description = "Inference batch sizes (default 1,8).")
    List<Integer> batches;

    @Option(names = "--train-batches", defaultValue = "1,8", split = ",", paramLabel = "N,N",
            description = "Training batch sizes; 0 for none (default 1,8).")
    List<Integer> trainBatches;

    @Option(names = "--precision", defaultValue = "fp32", split = ",", paramLabel = "P,P",
            converter = PrecisionOption.Converter.class,
            description = "Inference precisions to time, one after the other: fp32, bf16 (default fp32).")
    List<Precision> precisions;

    @Option(names = "--recompute-steps",
            description = "Training steps back-propagate one DIC step at a time (solver.recompute_steps).")
    boolean recomputeSteps;

    @Override
    public Integer call() {
        try {
            if (builtIn && options != null) {
                throw new IllegalArgumentException("give --options or --builtin, not both");
            }
            DicConfig config = builtIn ? DicWeights.configOf(BuiltInModel.read())
                    : options == null ? DicConfig.PAPER
                    : DicConfig.fromJson(OptionFiles.read(options), new ArrayList<>());
            if (repeats < 1) {
                throw new IllegalArgumentException("--repeats must be at least 1");
            }
            new Benchmark(config, repeats, recomputeSteps, spec.commandLine().getOut()).run(precisions, batches,
                    trainBatches.stream().filter(b -> b > 0).toList());
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        }
    }
}
