package io.dic4j.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.dic4j.infer.DicInferenceBlock;
import io.dic4j.infer.DicPredictor;
import io.dic4j.infer.Precision;
import io.dic4j.model.DicConfig;
import io.dic4j.model.DicNet;
import io.dic4j.train.Adam;
import io.dic4j.train.DicLoss;
import io.dic4j.train.StepwiseBackward;
import io.dic4j.util.MemoryAllocator;
import io.dic4j.weights.StateDictNames;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Times DIC on this machine: the ceiling (a large 3×3 conv through DJL), inference latency and throughput, and
 * training steps (forward, backward, Adam), each as median/min/max over repeats after a warm-up, with achieved
 * GFLOP/s (from the MACs the conv layers count) as a fraction of the ceiling and the process's peak RSS.
 * Weights are random: speed does not depend on their values.
 *
 * <p>A shared machine's speed drifts within minutes, and a conv runs up to ~40% slower in a process's first
 * seconds than once the machine is busy (measured: 230 then 330 GFLOP/s for the ceiling conv), so the ceiling is
 * sampled right before every timed run; a row's fraction is the median over its runs of each run's GFLOP/s over the
 * ceiling of that moment, and the ceiling's row, printed last, sums up all its samples.
 */
public final class Benchmark {

    /** Side of the ceiling conv's input, and its channels. */
    static final int CEILING_SIZE = 128;
    static final int CEILING_CHANNELS = 128;

    /** Runs of the ceiling conv before each timed run; their median counts, as in the ceiling's own row. */
    static final int CEILING_SAMPLES = 3;
    static final double CEILING_FLOPS = 2.0 * CEILING_SIZE * CEILING_SIZE * CEILING_CHANNELS * CEILING_CHANNELS * 9;

    /**
     * Seconds of one run (median, min, max), and the median over the runs of each run's GFLOP/s as a fraction of
     * the ceiling sampled just before it.
     */
    record Timing(double median, double min, double max, double ofCeiling) {
        static Timing of(double[] seconds, double ofCeiling) {
            return new Timing(Benchmark.median(seconds), Arrays.stream(seconds).min().orElseThrow(),
                    Arrays.stream(seconds).max().orElseThrow(), ofCeiling);
        }
    }

    private final DicConfig config;
    private final int repeats;
    private final boolean recomputeSteps;
    private final PrintWriter out;
    private Runnable ceilingConv;
    /** Every ceiling sample of the run, in seconds: the ceiling's own row. */
    private final List<Double> ceilingSeconds = new ArrayList<>();

    /**
     * @param recomputeSteps training steps back-propagate step by step ({@link StepwiseBackward}); their extra
     *     forward is not counted in GFLOP/s
     */
    public Benchmark(DicConfig config, int repeats, boolean recomputeSteps, PrintWriter out) {
        this.config = config;
        this.repeats = repeats;
        this.recomputeSteps = recomputeSteps;
        this.out = out;
    }

    /**
     * Runs every measurement and prints a Markdown table: inference at each batch size in each precision (a row
     * not in float32 names its precision; its fraction is of the float32 ceiling), then training.
     */
    public void run(List<Precision> precisions, List<Integer> inferenceBatches, List<Integer> trainingBatches)
            throws IOException {
        Engine.getInstance();
        out.printf(Locale.ROOT, "machine: %d cores, %s; torch threads %d (interop %d); malloc %s; config %s%n%n",
                Runtime.getRuntime().availableProcessors(), cpuName(), JniUtils.getNumThreads(),
                JniUtils.getNumInteropThreads(), MemoryAllocator.name(), config.toJson());
        out.println("| measurement | median s | min s | max s | per face s | GFLOP/s | of ceiling | peak RSS GB |");
        out.println("|---|---|---|---|---|---|---|---|");
        out.flush();
        try (NDManager m = NDManager.newBaseManager()) {
            ceilingConv = ceilingConv(m);
            DicNet net = DicNet.builder().setConfig(config).build();
            net.initialize(m, DataType.FLOAT32, new Shape(1, config.inChannels(), DicPredictor.INPUT_SIZE,
                    DicPredictor.INPUT_SIZE));
            long macsPerFace = net.macs(new Shape(1, config.inChannels(), DicPredictor.INPUT_SIZE,
                    DicPredictor.INPUT_SIZE));
            for (Precision precision : precisions) {
                // the predictor keeps kernels derived from the weights: closed before training changes them
                try (NDManager kept = m.newSubManager();
                        DicPredictor predictor = DicPredictor.of(new DicInferenceBlock(net, kept, precision), kept)) {
                    for (int b : inferenceBatches) {
                        List<BufferedImage> batch = faces(b);
                        double flops = 2.0 * macsPerFace * b;
                        row("inference, batch " + b + (precision == Precision.FP32 ? "" : ", " + precision.id()),
                                time(() -> predictor.predict(batch), flops), b, flops);
                    }
                }
            }
            for (int b : trainingBatches) {
                // backward costs about twice the forward
                double flops = 3 * 2.0 * macsPerFace * b;
                row("training step, batch " + b + (recomputeSteps ? ", step by step" : ""),
                        time(trainingStep(net, m, b), flops), b, flops);
            }
            row("ceiling: conv 3x3 " + CEILING_CHANNELS + "->" + CEILING_CHANNELS + " on " + CEILING_SIZE + "x"
                    + CEILING_SIZE + ", before each run",
                    Timing.of(ceilingSeconds.stream().mapToDouble(Double::doubleValue).toArray(), 1), 0, CEILING_FLOPS);
            out.printf(Locale.ROOT, "%nforward: %.2f GMAC per face (conv layers)%n", macsPerFace / 1e9);
        }
        out.flush();
    }

    private static Runnable ceilingConv(NDManager m) {
        int c = CEILING_CHANNELS;
        int s = CEILING_SIZE;
        NDArray x = m.randomUniform(-1, 1, new Shape(1, c, s, s));
        NDArray w = m.randomUniform(-0.1f, 0.1f, new Shape(c, c, 3, 3));
        Runnable conv = () -> {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                Conv2d.conv2d(x, w, null, new Shape(1, 1), new Shape(1, 1));
            }
        };
        conv.run(); // oneDNN builds its kernel on the first call
        return conv;
    }

    private Runnable trainingStep(DicNet net, NDManager parent, int batch) {
        Map<String, Parameter> params = StateDictNames.torchNames(net);
        params.values().forEach(p -> p.getArray().setRequiresGradient(true));
        Adam adam = new Adam(Adam.Settings.PYTORCH);
        int lr = DicPredictor.INPUT_SIZE;
        int hr = lr * config.scale();
        return () -> {
            try (NDManager m = parent.newSubManager(); NDScope scope = new NDScope();
                    GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                scope.suppressNotUsedWarning();
                NDArray x = m.randomUniform(-0.5f, 0.5f, new Shape(batch, 3, lr, lr));
                NDArray target = m.randomUniform(-0.5f, 0.5f, new Shape(batch, 3, hr, hr));
                NDArray heat = m.randomUniform(0, 1, new Shape(batch, config.hgNumKeypoints(), hr / 4, hr / 4));
                if (recomputeSteps) {
                    StepwiseBackward.run(net, m, x, target, heat, DicLoss.PAPER, (sr, real) -> Map.of(), gc);
                } else {
                    DicNet.Steps o = DicNet.Steps.of(net.forward(new ParameterStore(m, false), new NDList(x), true));
                    gc.backward(DicLoss.PAPER.compute(o.sr(), target, o.heatmaps(), heat).total());
                }
            }
            adam.step(params, 1e-4);
            params.values().forEach(p -> JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) p.getArray()));
        };
    }

    /** Times {@code work} of {@code flops}, each run after a sample of the ceiling. */
    private Timing time(Runnable work, double flops) {
        work.run(); // warm-up
        double[] seconds = new double[repeats];
        double[] fractions = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            double ceiling = medianSeconds(ceilingConv, CEILING_SAMPLES);
            ceilingSeconds.add(ceiling);
            seconds[i] = medianSeconds(work, 1);
            fractions[i] = (flops / seconds[i]) / (CEILING_FLOPS / ceiling);
        }
        return Timing.of(seconds, median(fractions));
    }

    private static double medianSeconds(Runnable work, int runs) {
        double[] seconds = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            work.run();
            seconds[i] = (System.nanoTime() - t0) / 1e9;
        }
        return median(seconds);
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private void row(String what, Timing t, int faces, double flops) {
        out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %s | %.1f | %s | %.2f |%n", what, t.median(), t.min(),
                t.max(), faces == 0 ? "" : String.format(Locale.ROOT, "%.3f", t.median() / faces),
                flops / t.median() / 1e9, String.format(Locale.ROOT, "%.0f%%", 100 * t.ofCeiling()), peakRssGb());
        out.flush();
    }

    private static List<BufferedImage> faces(int n) {
        Random r = new Random(n);
        List<BufferedImage> faces = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            BufferedImage img = new BufferedImage(DicPredictor.INPUT_SIZE, DicPredictor.INPUT_SIZE,
                    BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    img.setRGB(x, y, r.nextInt(1 << 24));
                }
            }
            faces.add(img);
        }
        return Collections.unmodifiableList(faces);
    }

    /** VmHWM of this process, in GB (0 where /proc is absent). */
    static double peakRssGb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1e6 * 1.024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static String cpuName() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }
}
