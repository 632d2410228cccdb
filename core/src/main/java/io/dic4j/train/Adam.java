package io.dic4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.dic4j.weights.Tensor;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Adam as {@code torch.optim.Adam} computes it, with a step count per parameter. DJL's Adam counts steps
 * globally, so a sub-network released late (DIC's hourglass) would get a bias correction for thousands of
 * steps on its first update; here its first update has the size of a first step, as in PyTorch.
 *
 * <p>State is keyed by parameter name, so it survives a checkpoint. Only the parameters passed to a step are
 * updated: the others (frozen ones) keep their step count, as PyTorch skips parameters without a gradient.
 */
public final class Adam {

    /**
     * @param beta1 decay of the mean (0.9)
     * @param beta2 decay of the uncentred variance (0.999)
     * @param eps added to the denominator (1e-8)
     * @param weightDecay L2 term added to the gradient, as PyTorch's Adam (not AdamW) does
     */
    public record Settings(double beta1, double beta2, double eps, double weightDecay) {
        public static final Settings PYTORCH = new Settings(0.9, 0.999, 1e-8, 0);

        public Settings withWeightDecay(double decay) {
            return new Settings(beta1, beta2, eps, decay);
        }
    }

    /** One parameter's moments and update count. */
    private static final class Moments {
        final NDArray mean;
        final NDArray variance;
        int steps;

        Moments(NDArray mean, NDArray variance, int steps) {
            this.mean = mean;
            this.variance = variance;
            this.steps = steps;
        }
    }

    /**
     * The optimizer's state, for checkpoints.
     *
     * @param steps updates made, per parameter name
     * @param means first moments ({@code exp_avg}) by parameter name
     * @param variances second moments ({@code exp_avg_sq}) by parameter name
     */
    public record State(Map<String, Integer> steps, Map<String, Tensor> means, Map<String, Tensor> variances) {}

    private final Settings settings;
    private final Map<String, Moments> moments = new LinkedHashMap<>();

    public Adam(Settings settings) {
        this.settings = settings;
    }

    /** Updates each of these parameters from its gradient, with learning rate {@code lr}. */
    public void step(Map<String, Parameter> parameters, double lr) {
        parameters.forEach((name, p) -> update(name, p.getArray(), lr));
    }

    private void update(String name, NDArray weight, double lr) {
        Moments m = moments.computeIfAbsent(name, k -> new Moments(weight.zerosLike(), weight.zerosLike(), 0));
        m.steps++;
        double b1 = settings.beta1();
        double b2 = settings.beta2();
        // Python float arithmetic (double), then one cast, as PyTorch's single-tensor Adam
        double stepSize = lr / (1 - Math.pow(b1, m.steps));
        double bias2Sqrt = Math.sqrt(1 - Math.pow(b2, m.steps));
        // temporaries die with the scope; the moments and the weight are updated in place
        try (NDScope scope = new NDScope()) {
            NDArray grad = weight.getGradient();
            NDArray g = settings.weightDecay() == 0 ? grad : grad.add(weight.mul((float) settings.weightDecay()));
            m.mean.muli((float) b1).addi(g.mul((float) (1 - b1)));
            m.variance.muli((float) b2).addi(g.mul(g).muli((float) (1 - b2)));
            NDArray denom = m.variance.sqrt().divi((float) bias2Sqrt).addi((float) settings.eps());
            weight.subi(m.mean.div(denom).muli((float) stepSize));
            scope.suppressNotUsedWarning();
        }
    }

    /** A copy of the state, for a checkpoint. */
    public State state() {
        Map<String, Integer> steps = new LinkedHashMap<>();
        Map<String, Tensor> means = new LinkedHashMap<>();
        Map<String, Tensor> variances = new LinkedHashMap<>();
        moments.forEach((name, m) -> {
            steps.put(name, m.steps);
            means.put(name, tensor(m.mean));
            variances.put(name, tensor(m.variance));
        });
        return new State(steps, means, variances);
    }

    /**
     * Replaces the state with a checkpoint's; each moment is created in its parameter's manager.
     *
     * @throws IllegalArgumentException if the state names a parameter that is not there or has another shape
     */
    public void restore(State state, Map<String, Parameter> parameters) {
        moments.values().forEach(m -> {
            m.mean.close();
            m.variance.close();
        });
        moments.clear();
        state.steps().forEach((name, steps) -> {
            Parameter p = parameters.get(name);
            if (p == null) {
                throw new IllegalArgumentException("optimizer state for " + name + ", which the network lacks");
            }
            NDManager manager = p.getArray().getManager();
            Shape shape = p.getArray().getShape();
            moments.put(name, new Moments(array(manager, shape, state.means().get(name), name),
                    array(manager, shape, state.variances().get(name), name), steps));
        });
    }

    private static Tensor tensor(NDArray a) {
        return new Tensor(a.getShape().getShape(), a.toFloatArray());
    }

    private static NDArray array(NDManager manager, Shape shape, Tensor t, String name) {
        if (t == null || !new Shape(t.shape()).equals(shape)) {
            throw new IllegalArgumentException("optimizer state of " + name + " is missing or not " + shape);
        }
        NDArray a = manager.create(FloatBuffer.wrap(t.values()), shape);
        NDScope.unregister(a);
        return a;
    }
}
