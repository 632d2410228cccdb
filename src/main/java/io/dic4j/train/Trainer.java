package io.dic4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.dic4j.data.FaceLoader;
import io.dic4j.data.FaceSample;
import io.dic4j.weights.StateDictNames;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The training loop, as the reference runs it: iteration s trains with the learning rate and hourglass freeze
 * that follow s − 1 completed iterations; validation every {@code val_freq}, the best checkpoint by the task's
 * score, the last checkpoint every {@code save_freq} and at the end. Each iteration's arrays live in their own
 * scope, so memory stays flat.
 *
 * <p>Output folder: {@code train_log.jsonl}, {@code curves.png}, {@code checkpoints/last.safetensors} and
 * {@code best.safetensors}, {@code val/step_NNNNNNN/} (the evaluation's files and grid), {@code model.safetensors}
 * (the final weights).
 */
public final class Trainer {

    public static final String LOG = "train_log.jsonl";
    public static final String CURVES = "curves.png";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String LAST = "last.safetensors";
    public static final String BEST = "best.safetensors";
    public static final String MODEL = "model.safetensors";
    public static final String VAL_DIR = "val";

    /**
     * @param solver schedule, frequencies, freeze, seed
     * @param printFreq iterations between log lines
     * @param gridFaces faces in each validation grid
     * @param progressBar show a progress bar on stderr
     */
    public record Settings(TrainOptions.Solver solver, int printFreq, int gridFaces, boolean progressBar) {}

    /** How a run ended: iterations done, the last losses and the best validation score. */
    public record Summary(long steps, float lastLoss, double best, long bestStep) {}

    private final TrainingTask task;
    private final Settings settings;
    private final FaceLoader train;
    private final FaceLoader val;
    private final Path out;
    private final Map<String, Parameter> parameters;
    private final Adam adam;

    /** @param val the validation loader (in order), or null to skip validation */
    public Trainer(TrainingTask task, Settings settings, FaceLoader train, FaceLoader val, Path out) {
        this.task = task;
        this.settings = settings;
        this.train = train;
        this.val = val;
        this.out = out;
        this.parameters = StateDictNames.torchNames(task.network());
        this.adam = new Adam(Adam.Settings.PYTORCH.withWeightDecay(settings.solver().weightDecay()));
    }

    public Path checkpoint(String name) {
        return out.resolve(CHECKPOINTS).resolve(name);
    }

    /**
     * Trains up to {@code niter} iterations.
     *
     * @param resume a checkpoint of this run to continue from, or null to start at step 0
     */
    public Summary run(Path resume) throws IOException {
        TrainOptions.Solver solver = settings.solver();
        Checkpoint.State state = new Checkpoint.State(0, solver.seed(), true, Double.NaN, 0);
        if (resume != null) {
            state = restore(resume);
        }
        parameters.values().forEach(p -> p.getArray().setRequiresGradient(true));
        Map<String, Parameter> withoutHourglass = withoutHourglass();
        MultiStepLr schedule = solver.schedule();
        long step = state.step();
        float lastLoss = Float.NaN;
        try (TrainingLog log = new TrainingLog(out.resolve(LOG), out.resolve(CURVES), task.bestMetric(), step);
                ProgressBar bar = progressBar(step)) {
            Iterator<List<FaceSample>> batches = train.batches(step, solver.iterations() - step);
            long t0 = System.nanoTime();
            long sinceLog = 0;
            while (step < solver.iterations()) {
                boolean freeze = task.hourglass() != null && !solver.hourglassTrains(step);
                double lr = schedule.rate(step);
                float[] losses = trainStep(batches.next(), freeze ? withoutHourglass : parameters, lr);
                lastLoss = losses[2];
                step++;
                sinceLog++;
                state = new Checkpoint.State(step, state.seed(), freeze, state.best(), state.bestStep());
                if (step % settings.printFreq() == 0) {
                    double seconds = (System.nanoTime() - t0) / 1e9 / sinceLog;
                    log.train(step, lr, losses[0], losses[1], losses[2], seconds);
                    t0 = System.nanoTime();
                    sinceLog = 0;
                }
                if (bar != null) {
                    bar.stepTo(step);
                    bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f (pix %.4f, align %.4f) lr %.1e",
                            losses[2], losses[0], losses[1], lr));
                }
                if (val != null && step % solver.valFreq() == 0) {
                    state = validate(log, state);
                }
                if (step % solver.saveFreq() == 0 || step == solver.iterations()) {
                    Checkpoint.save(checkpoint(LAST), task.network(), task.modelMetadata(), adam, state);
                }
            }
        }
        task.saveModel(out.resolve(MODEL));
        return new Summary(step, lastLoss, state.best(), state.bestStep());
    }

    /**
     * The parameters outside the hourglass. A frozen hourglass is left out of Adam's steps rather than given
     * {@code requires_grad = false}: the gradients through it to the SR images are the same, and toggling the
     * flag mid-run made the first release in a JVM differ from later ones in the last float bits (measured).
     */
    private Map<String, Parameter> withoutHourglass() {
        Map<String, Parameter> out = new LinkedHashMap<>(parameters);
        if (task.hourglass() != null) {
            Set<Parameter> hourglass = Collections.newSetFromMap(new IdentityHashMap<>());
            hourglass.addAll(task.hourglass().getParameters().values());
            out.values().removeIf(hourglass::contains);
        }
        return out;
    }

    /** One iteration: forward, loss, backward in a scope of their own, then Adam. Returns pix, align, total. */
    private float[] trainStep(List<FaceSample> batch, Map<String, Parameter> trainable, double lr) {
        float[] losses;
        try (NDManager m = NDManager.newBaseManager();
                NDScope scope = new NDScope();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            scope.suppressNotUsedWarning();
            DicLoss.Terms t = task.loss(m, batch);
            gc.backward(t.total());
            losses = new float[] {t.pixel().getFloat(), t.align().getFloat(), t.total().getFloat()};
        }
        adam.step(trainable, lr);
        // zero_() our own gradients. DJL's zeroGradients() (each gradient minus itself, over every array in the
        // JVM) made a resumed run drift from a straight one (1e-3 in the weights, NaN before the constants fix)
        // once freed memory was being reused: measured, cause inside DJL not pinned down
        parameters.values().forEach(p -> JniUtils.zeroGrad((PtNDArray) p.getArray()));
        return losses;
    }

    private Checkpoint.State validate(TrainingLog log, Checkpoint.State state) throws IOException {
        Path dir = out.resolve(VAL_DIR).resolve(String.format(Locale.ROOT, "step_%07d", state.step()));
        Map<String, Double> scores = task.validate(val.epoch(), settings.gridFaces(), dir);
        log.validation(state.step(), scores);
        double score = scores.get(task.bestMetric());
        boolean better = Double.isNaN(state.best())
                || (task.higherIsBetter() ? score > state.best() : score < state.best());
        if (!better) {
            return state;
        }
        Checkpoint.State best = new Checkpoint.State(state.step(), state.seed(), state.hourglassFrozen(), score,
                state.step());
        Checkpoint.save(checkpoint(BEST), task.network(), task.modelMetadata(), adam, best);
        return best;
    }

    private Checkpoint.State restore(Path file) throws IOException {
        Checkpoint c = Checkpoint.read(file);
        c.weights().loadInto(task.network());
        adam.restore(c.optimizer(), parameters);
        if (c.state().seed() != settings.solver().seed()) {
            throw new IllegalArgumentException(file + " was trained with manual_seed " + c.state().seed()
                    + ", the options say " + settings.solver().seed() + "; resuming needs the same seed");
        }
        return c.state();
    }

    private ProgressBar progressBar(long start) {
        if (!settings.progressBar()) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName("train").setInitialMax(settings.solver().iterations())
                .startsFrom(start, Duration.ZERO).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err)).showSpeed().build();
    }
}
