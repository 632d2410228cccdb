package io.dic4j.train;

import java.util.List;

/**
 * PyTorch's {@code MultiStepLR}: the base rate times γ for every milestone reached. Written out because DJL's
 * {@code MultiFactorTracker} needs at least two milestones; the option files' {@code lr_steps} may hold one.
 *
 * @param base {@code learning_rate}
 * @param milestones {@code lr_steps}, increasing
 * @param gamma {@code lr_gamma}
 */
public record MultiStepLr(double base, List<Integer> milestones, double gamma) {

    public MultiStepLr {
        if (!(base > 0)) {
            throw new IllegalArgumentException("learning_rate must be positive, got " + base);
        }
        milestones = List.copyOf(milestones);
        for (int i = 1; i < milestones.size(); i++) {
            if (milestones.get(i) <= milestones.get(i - 1)) {
                throw new IllegalArgumentException("lr_steps must increase, got " + milestones);
            }
        }
    }

    /** The rate of the iteration that follows {@code stepsDone} completed ones, as the reference schedules it. */
    public double rate(long stepsDone) {
        int reached = (int) milestones.stream().filter(m -> m <= stepsDone).count();
        return base * Math.pow(gamma, reached);
    }
}
