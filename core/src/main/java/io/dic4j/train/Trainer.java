package io.dic4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import io.dic4j.data.FaceLoader;
import io.dic4j.data.FaceSample;
import io.dic4j.weights.StateDict;
import io.dic4j.weights.StateDictNames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The training loop, as the reference runs it: iteration s trains with the learning rate and hourglass freeze
 * that follow s − 1 completed iterations; a task with an adversary (DICGAN) updates it after each of the
 * network's updates, each with its own Adam; validation every {@code val_freq}, the best checkpoint by the task's
 * score, the last checkpoint every {@code save_freq} and at the end. Each iteration's arrays live in their own
 * scope, so memory stays flat.
 *
 * <p>Output folder: {@code train_log.jsonl}, {@code checkpoints/last.safetensors} and
 * {@code best.safetensors}, {@code val/step_NNNNNNN/} (the evaluation's files and grid), {@code model.safetensors}
 * (the final weights), for an adversarial task {@code discriminator.safetensors}.
 */
public final class Trainer {

    public static final String LOG = "train_log.jsonl";
    /** The {@code type} of the log's lines: a training step's, a validation's. */
    public static final String TRAIN_LINE = "train";
    public static final String VAL_LINE = "val";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String LAST = "last.safetensors";
    public static final String BEST = "best.safetensors";
    public static final String MODEL = "model.safetensors";
    /** An adversary's final weights (DICGAN's LightCNN discriminator; its feature layers serve as an extractor). */
    public static final String ADVERSARY_MODEL = "discriminator.safetensors";
    public static final String VAL_DIR = "val";

    /**
     * @param solver schedule, frequencies, freeze, seed
     * @param printFreq iterations between log lines
     * @param gridFaces faces in each validation grid
     * @param listener told of each step and validation
     */
    public record Settings(TrainOptions.Solver solver, int printFreq, int gridFaces, TrainingListener listener) {}

    /** How a run ended: iterations done, the last total loss and the best validation score. */
    public record Summary(long steps, float lastLoss, double best, long bestStep) {}

    /** Log names of the task's total loss and of its adversary's. */
    public static final String TOTAL = "loss_total";
    public static final String ADVERSARY_TOTAL = "loss_d";

    /**
     * What the task network's update leaves for its adversary: the logged values and, for an adversarial task,
     * the batch's real faces and the network's output, detached, in a manager of their own.
     */
    record Update(Map<String, Float> logged, NDManager manager, NDArray real, NDArray fake) implements AutoCloseable {
        @Override
        public void close() {
            manager.close();
        }
    }

    private final TrainingTask task;
    private final Settings settings;
    private final FaceLoader train;
    private final FaceLoader val;
    private final Path out;
    private final Map<String, Parameter> parameters;
    private final Map<String, Parameter> withoutHourglass;
    private final Adam adam;
    private final MultiStepLr schedule;
    private final Adversary adversary;
    private final Map<String, Parameter> adversaryParameters;
    private final Adam adversaryAdam;
    private final MultiStepLr adversarySchedule;

    /** @param val the validation loader (in order), or null to skip validation */
    public Trainer(TrainingTask task, Settings settings, FaceLoader train, FaceLoader val, Path out) {
        this.task = task;
        this.settings = settings;
        this.train = train;
        this.val = val;
        this.out = out;
        TrainOptions.Solver solver = settings.solver();
        this.parameters = trainable(task.network());
        this.withoutHourglass = withoutHourglass();
        this.adam = new Adam(Adam.Settings.PYTORCH.withWeightDecay(solver.weightDecay()));
        this.schedule = solver.schedule();
        this.adversary = task.adversary();
        this.adversaryParameters = adversary == null ? Map.of() : trainable(adversary.network());
        this.adversaryAdam = adversary == null ? null
                : new Adam(Adam.Settings.PYTORCH.withWeightDecay(adversary.weightDecay()));
        this.adversarySchedule = adversary == null ? null
                : new MultiStepLr(adversary.learningRate(), solver.lrSteps(), solver.lrGamma());
    }

    /** The parameters Adam updates, by PyTorch name (batch-norm statistics are not among them). */
    private static Map<String, Parameter> trainable(Block network) {
        Map<String, Parameter> out = new LinkedHashMap<>(StateDictNames.torchNames(network));
        out.values().removeIf(p -> !p.requiresGradient());
        return out;
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
        Checkpoint.State state = start(resume);
        long step = state.step();
        float lastLoss = Float.NaN;
        TrainingListener listener = settings.listener();
        // what a diverged run names for the user to go back to
        String lastGood = resume == null ? "none (no checkpoint was written yet)" : resume + " (step " + step + ")";
        listener.started(step, solver.iterations());
        try (TrainingLog log = new TrainingLog(out.resolve(LOG), step)) {
            Iterator<List<FaceSample>> batches = train.batches(step, solver.iterations() - step);
            long t0 = System.nanoTime();
            long sinceLog = 0;
            while (step < solver.iterations()) {
                boolean freeze = freezesHourglass(step);
                Map<String, Float> logged = trainStep(batches.next(), step);
                requireFinite(logged, step + 1, lastGood);
                lastLoss = logged.get(TOTAL);
                double lr = schedule.rate(step);
                step++;
                sinceLog++;
                state = new Checkpoint.State(step, state.seed(), freeze, state.best(), state.bestStep());
                if (step % settings.printFreq() == 0) {
                    double seconds = (System.nanoTime() - t0) / 1e9 / sinceLog;
                    log.train(step, lr, logged, seconds);
                    t0 = System.nanoTime();
                    sinceLog = 0;
                }
                listener.stepped(step, lr, logged);
                if (val != null && step % solver.valFreq() == 0) {
                    state = validate(log, state);
                }
                if (step % solver.saveFreq() == 0 || step == solver.iterations()) {
                    saveCheckpoint(checkpoint(LAST), state);
                    lastGood = checkpoint(LAST) + " (step " + step + ")";
                }
            }
        } finally {
            listener.finished();
        }
        task.saveModel(out.resolve(MODEL));
        if (adversary != null) {
            StateDict.of(adversary.network(), Map.of("format", "pt")).writeSafetensors(out.resolve(ADVERSARY_MODEL));
        }
        return new Summary(step, lastLoss, state.best(), state.bestStep());
    }

    /**
     * Stops a run whose loss is no longer a number: its weights are lost (an update with NaN gradients made them
     * NaN), and every later step would be too.
     */
    private static void requireFinite(Map<String, Float> logged, long step, String lastGood)
            throws TrainingDivergedException {
        for (Map.Entry<String, Float> e : logged.entrySet()) {
            if (!Float.isFinite(e.getValue())) {
                throw new TrainingDivergedException(String.format(Locale.ROOT, "training diverged: %s is %s at step"
                        + " %d; no checkpoint of it was written. The last good checkpoint: %s; a lower learning rate"
                        + " may help", e.getKey(), e.getValue(), step, lastGood));
            }
        }
    }

    /** Restores a checkpoint (or none), then lets gradients reach the trained parameters; the state to go on from. */
    Checkpoint.State start(Path resume) throws IOException {
        Checkpoint.State state = resume == null
                ? new Checkpoint.State(0, settings.solver().seed(), true, Double.NaN, 0)
                : restore(resume);
        parameters.values().forEach(p -> p.getArray().setRequiresGradient(true));
        adversaryParameters.values().forEach(p -> p.getArray().setRequiresGradient(true));
        return state;
    }

    private boolean freezesHourglass(long stepsDone) {
        return task.hourglass() != null && !settings.solver().hourglassTrains(stepsDone);
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

    /** One iteration after {@code stepsDone}: the network's update, then its adversary's. Returns the logged values. */
    private Map<String, Float> trainStep(List<FaceSample> batch, long stepsDone) {
        try (Update u = update(batch, stepsDone)) {
            Map<String, Float> logged = new LinkedHashMap<>(u.logged());
            if (adversary != null) {
                logged.putAll(updateAdversary(u, stepsDone));
            }
            return logged;
        }
    }

    /** The task network's update: forward, loss, backward in a scope of their own, then Adam. */
    Update update(List<FaceSample> batch, long stepsDone) {
        NDManager kept = NDManager.newBaseManager();
        Map<String, Float> logged;
        NDArray real = null;
        NDArray fake = null;
        try (NDManager m = NDManager.newBaseManager();
                NDScope scope = new NDScope();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            scope.suppressNotUsedWarning();
            TrainingTask.Losses l = task.backward(m, batch, gc);
            logged = l.values(TOTAL);
            if (adversary != null) {
                // detached: the adversary's loss reaches none of the network's parameters
                real = keep(l.real().stopGradient(), kept);
                fake = keep(l.fake().stopGradient(), kept);
            }
        } catch (RuntimeException e) {
            kept.close();
            throw e;
        }
        adam.step(freezesHourglass(stepsDone) ? withoutHourglass : parameters, schedule.rate(stepsDone));
        zeroGradients(parameters);
        return new Update(logged, kept, real, fake);
    }

    private static NDArray keep(NDArray a, NDManager manager) {
        NDScope.unregister(a);
        a.attach(manager);
        return a;
    }

    /** The adversary's update on what the network's update left; changes the adversary's parameters only. */
    Map<String, Float> updateAdversary(Update u, long stepsDone) {
        // the network's loss ran through the adversary too: those gradients are not the adversary's to use
        zeroGradients(adversaryParameters);
        Map<String, Float> logged;
        try (NDManager m = NDManager.newBaseManager();
                NDScope scope = new NDScope();
                GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            scope.suppressNotUsedWarning();
            TrainingTask.Losses l = adversary.loss(m, u.real(), u.fake());
            gc.backward(l.total());
            logged = l.values(ADVERSARY_TOTAL);
        }
        adversaryAdam.step(adversaryParameters, adversarySchedule.rate(stepsDone));
        zeroGradients(adversaryParameters);
        return logged;
    }

    /**
     * zero_() of our own gradients. DJL's zeroGradients() (each gradient minus itself, over every array in the
     * JVM) made a resumed run drift from a straight one (1e-3 in the weights, NaN before the constants fix) once
     * freed memory was being reused: measured, cause inside DJL not pinned down.
     */
    private static void zeroGradients(Map<String, Parameter> params) {
        params.values().forEach(p -> JniUtils.zeroGrad((PtNDArray) p.getArray()));
    }

    private void saveCheckpoint(Path file, Checkpoint.State state) throws IOException {
        Checkpoint.save(file, new Checkpoint.Part(task.network(), adam),
                adversary == null ? null : new Checkpoint.Part(adversary.network(), adversaryAdam),
                task.modelMetadata(), state);
    }

    private Checkpoint.State validate(TrainingLog log, Checkpoint.State state) throws IOException {
        Path dir = out.resolve(VAL_DIR).resolve(String.format(Locale.ROOT, "step_%07d", state.step()));
        Map<String, Double> scores = task.validate(val.epoch(), settings.gridFaces(), dir);
        log.validation(state.step(), scores);
        settings.listener().validated(state.step(), scores, out.resolve(LOG));
        double score = scores.get(task.bestMetric());
        boolean better = Double.isNaN(state.best())
                || (task.higherIsBetter() ? score > state.best() : score < state.best());
        if (!better) {
            return state;
        }
        Checkpoint.State best = new Checkpoint.State(state.step(), state.seed(), state.hourglassFrozen(), score,
                state.step());
        saveCheckpoint(checkpoint(BEST), best);
        return best;
    }

    private Checkpoint.State restore(Path file) throws IOException {
        Checkpoint c = Checkpoint.read(file);
        c.weights().loadInto(task.network());
        adam.restore(c.optimizer(), parameters);
        if ((adversary == null) != (c.adversaryWeights() == null)) {
            throw new IllegalArgumentException(file + (adversary == null
                    ? " holds a discriminator, but these options train none"
                    : " holds no discriminator, but these options train one (loss.GAN)"));
        }
        if (adversary != null) {
            c.adversaryWeights().loadInto(adversary.network());
            adversaryAdam.restore(c.adversaryOptimizer(), adversaryParameters);
        }
        if (c.state().seed() != settings.solver().seed()) {
            throw new IllegalArgumentException(file + " was trained with manual_seed " + c.state().seed()
                    + ", the options say " + settings.solver().seed() + "; resuming needs the same seed");
        }
        return c.state();
    }
}
