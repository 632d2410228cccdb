package io.dic4j.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import io.dic4j.model.ops.Local;
import java.util.function.UnaryOperator;

/**
 * What follows a conv in the same {@code Sequential} of the reference: an optional batch-norm, then the activation.
 *
 * <p>Parameters: {@code slope} for PReLU, and for batch-norm {@code bnWeight}, {@code bnBias} and the statistics
 * {@code runningMean}, {@code runningVar}, {@code batchesTracked} (not trained; updated by training-mode forwards, as
 * PyTorch's {@code BatchNorm2d}). Initialisation is PyTorch's (slope 0.2 as DIC sets it; scale 1, shift 0, mean 0,
 * variance 1).
 */
final class NormActivation {

    static final float LEAKY_SLOPE = 0.2f;
    static final float PRELU_INIT = 0.2f;
    /** PyTorch's BatchNorm2d defaults; DJL's momentum is the weight of the running value (1 − PyTorch's 0.1). */
    private static final float BN_EPS = 1e-5f;
    private static final float BN_MOMENTUM = 0.9f;

    private final Activation activation;
    private final Parameter slope;
    private final BatchNormParameters norm;

    /** Batch-norm's scale and shift (trained) and its running statistics (not trained). */
    private record BatchNormParameters(Parameter weight, Parameter bias, Parameter runningMean,
            Parameter runningVar, Parameter batchesTracked) {}

    /**
     * @param channels the conv's output channels
     * @param register adds a parameter to the layer that owns this, in order
     */
    NormActivation(int channels, boolean batchNorm, Activation activation, UnaryOperator<Parameter> register) {
        this.activation = activation;
        slope = activation == Activation.PRELU
                ? register.apply(Parameter.builder().setName("slope").setType(Parameter.Type.OTHER)
                        .optShape(new Shape(1)).optInitializer(new ConstantInitializer(PRELU_INIT)).build())
                : null;
        Shape c = new Shape(channels);
        norm = batchNorm ? new BatchNormParameters(
                register.apply(constant("bnWeight", Parameter.Type.GAMMA, c, 1, true)),
                register.apply(constant("bnBias", Parameter.Type.BETA, c, 0, true)),
                register.apply(constant("runningMean", Parameter.Type.RUNNING_MEAN, c, 0, false)),
                register.apply(constant("runningVar", Parameter.Type.RUNNING_VAR, c, 1, false)),
                register.apply(constant("batchesTracked", Parameter.Type.OTHER, new Shape(), 0, false)))
                : null;
    }

    private static Parameter constant(String name, Parameter.Type type, Shape shape, float value, boolean trained) {
        return Parameter.builder().setName(name).setType(type).optShape(shape)
                .optInitializer(new ConstantInitializer(value)).optRequiresGrad(trained).build();
    }

    /** Batch-norm (where there is one), then the activation. */
    NDArray apply(NDArray y, ParameterStore ps, boolean training, boolean recorded) {
        return activate(norm == null ? y : normalise(y, ps, training), ps, training, recorded);
    }

    /** Batch statistics in training (updating the running ones in place), the running ones otherwise. */
    private NDArray normalise(NDArray y, ParameterStore ps, boolean training) {
        NDManager m = y.getManager();
        NDArray gamma = Local.view(ps.getValue(norm.weight(), y.getDevice(), training), m);
        NDArray beta = Local.view(ps.getValue(norm.bias(), y.getDevice(), training), m);
        NDArray mean = ps.getValue(norm.runningMean(), y.getDevice(), training);
        NDArray var = ps.getValue(norm.runningVar(), y.getDevice(), training);
        if (training) {
            ps.getValue(norm.batchesTracked(), y.getDevice(), training).addi(1f);
        }
        return BatchNorm.batchNorm(y, mean, var, gamma, beta, 1, BN_MOMENTUM, BN_EPS, training).singletonOrThrow();
    }

    private NDArray activate(NDArray y, ParameterStore ps, boolean training, boolean recorded) {
        switch (activation) {
            case RELU:
                return ai.djl.nn.Activation.relu(y);
            case LEAKY_RELU:
                return ai.djl.nn.Activation.leakyRelu(y, LEAKY_SLOPE);
            case PRELU:
                NDArray a = ps.getValue(slope, y.getDevice(), training);
                if ((!a.hasGradient() || !recorded) && !y.getDevice().isGpu()) {
                    // where no gradient reaches the slope, PReLU is leaky ReLU: one op, equal bit for bit; its
                    // slope is read on the host, which on an accelerator would wait for the device at every layer
                    return ai.djl.nn.Activation.leakyRelu(y, a.getFloat());
                }
                // max(y, 0) + a·(y − max(y, 0)): y − max(y, 0) is min(y, 0) exactly, without the Java-side scalar
                // tensor that y.minimum(0f) would leave to autograd (see Constants.scalar); at y = 0 the slope
                // gets PyTorch's PReLU gradient a, where minimum's backward would give a/2
                NDArray positive = ai.djl.nn.Activation.relu(y);
                return positive.add(y.sub(positive).mul(a));
            default:
                return y;
        }
    }

    @Override
    public String toString() {
        return (norm != null ? "bn, " : "") + activation;
    }
}
