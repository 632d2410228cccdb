package io.dic4j.train;

import java.nio.file.Path;
import java.util.Map;

/**
 * What a training run tells its caller as it goes, so that a front end can show progress and draw curves while the
 * library stays free of any console or plotting code. Every method has an empty default; calls come from the
 * training thread.
 */
public interface TrainingListener {

    /** A listener that shows nothing. */
    TrainingListener NONE = new TrainingListener() {};

    /**
     * The run starts or resumes.
     *
     * @param step the iterations already done (0 for a new run)
     * @param iterations the iterations the run ends at ({@code niter})
     */
    default void started(long step, long iterations) {}

    /**
     * An iteration is done.
     *
     * @param step the iterations done so far
     * @param learningRate the rate that iteration trained with
     * @param logged its losses and other values, by log name
     */
    default void stepped(long step, double learningRate, Map<String, Float> logged) {}

    /**
     * A validation is done and appended to the run's log.
     *
     * @param step the iterations done so far
     * @param scores the validation's scores, by log name
     * @param log the run's {@link Trainer#LOG} file, with every line so far
     */
    default void validated(long step, Map<String, Double> scores, Path log) {}

    /** The run has ended, normally or not. */
    default void finished() {}
}
