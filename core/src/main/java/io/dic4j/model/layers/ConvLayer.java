package io.dic4j.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.UniformInitializer;
import io.dic4j.model.ops.Convolution;
import io.dic4j.model.ops.Local;
import io.dic4j.model.ops.SubPixelProjection;
import io.dic4j.model.ops.TransposedConv;
import java.util.function.Function;

/**
 * A 2-D convolution (ordinary or transposed), optionally batch-normalised, with its activation: the unit every
 * DIC branch (and the evaluation hourglass) is made of.
 *
 * <p>Parameters: {@code weight} in PyTorch's layout ((out, in/groups, k, k), or (in, out, k, k) when
 * transposed), {@code bias} (every convolution here has one), {@code slope} for PReLU, and for batch-norm
 * {@code bnWeight}, {@code bnBias} and the statistics {@code runningMean}, {@code runningVar},
 * {@code batchesTracked} (not trained; updated by training-mode forwards, as PyTorch's {@code BatchNorm2d}).
 * Shapes are known at construction, so the layer needs no input shape to initialise. Initialisation is
 * PyTorch's default (uniform ±1/√fan_in; batch-norm scale 1, shift 0, mean 0, variance 1).
 */
public final class ConvLayer extends ScopedBlock {

    static final float LEAKY_SLOPE = 0.2f;
    static final float PRELU_INIT = 0.2f;
    /** PyTorch's BatchNorm2d defaults; DJL's momentum is the weight of the running value (1 − PyTorch's 0.1). */
    private static final float BN_EPS = 1e-5f;
    private static final float BN_MOMENTUM = 0.9f;

    private final int in;
    private final int out;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final int groups;
    private final boolean transposed;
    /** The ×8 side's phase layout, for a projection built with {@link Builder#optPhaseLayout}; null otherwise. */
    private final SubPixelProjection projection;
    private final Activation activation;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter slope;
    private final BatchNormParameters norm;

    /** Batch-norm's scale and shift (trained) and its running statistics (not trained). */
    private record BatchNormParameters(Parameter weight, Parameter bias, Parameter runningMean,
            Parameter runningVar, Parameter batchesTracked) {}

    private ConvLayer(Builder b) {
        in = b.in;
        out = b.out;
        kernel = b.kernel;
        stride = b.stride;
        padding = b.padding;
        groups = b.groups;
        transposed = b.transposed;
        projection = b.phaseLayout ? new SubPixelProjection(kernel, stride, padding) : null;
        activation = b.activation;
        Shape weightShape =
                transposed ? new Shape(in, out, kernel, kernel) : new Shape(out, in / groups, kernel, kernel);
        // PyTorch computes fan_in from weight dim 1, also for transposed convolutions
        float bound = (float) (1.0 / Math.sqrt((double) weightShape.get(1) * kernel * kernel));
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(weightShape).optInitializer(new UniformInitializer(bound)).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(out)).optInitializer(new UniformInitializer(bound)).build());
        slope = activation == Activation.PRELU
                ? addParameter(Parameter.builder().setName("slope").setType(Parameter.Type.OTHER)
                        .optShape(new Shape(1)).optInitializer(new ConstantInitializer(PRELU_INIT)).build())
                : null;
        norm = b.batchNorm ? new BatchNormParameters(
                addParameter(constant("bnWeight", Parameter.Type.GAMMA, new Shape(out), 1, true)),
                addParameter(constant("bnBias", Parameter.Type.BETA, new Shape(out), 0, true)),
                addParameter(constant("runningMean", Parameter.Type.RUNNING_MEAN, new Shape(out), 0, false)),
                addParameter(constant("runningVar", Parameter.Type.RUNNING_VAR, new Shape(out), 1, false)),
                addParameter(constant("batchesTracked", Parameter.Type.OTHER, new Shape(), 0, false)))
                : null;
    }

    private static Parameter constant(String name, Parameter.Type type, Shape shape, float value, boolean trained) {
        return Parameter.builder().setName(name).setType(type).optShape(shape)
                .optInitializer(new ConstantInitializer(value)).optRequiresGrad(trained).build();
    }

    /** A layer reading {@code in} channels and writing {@code out}, with a square kernel. */
    public static Builder builder(int in, int out, int kernel) {
        return new Builder(in, out, kernel);
    }

    /** Multiply-accumulates counted on this thread while {@link #countMacs} runs; null otherwise. */
    private static final ThreadLocal<long[]> MACS = new ThreadLocal<>();

    /** Runs {@code work} and returns the multiply-accumulates of every conv layer it ran on this thread. */
    public static long countMacs(Runnable work) {
        long[] count = {0};
        MACS.set(count);
        try {
            work.run();
        } finally {
            MACS.remove();
        }
        return count[0];
    }

    /**
     * MACs of this layer on an input of {@code shape} (a phase layout's first part): every output (or, transposed,
     * input) pixel × kernel.
     */
    long macs(Shape shape) {
        if (projection != null && !transposed) {
            // the image behind the phases: the MACs of the plain strided conv
            shape = projection.imageShape(shape);
        }
        long n = shape.get(0);
        long kernelMacs = (long) kernel * kernel;
        if (transposed) {
            return n * in * shape.get(2) * shape.get(3) * out * kernelMacs;
        }
        return n * out * outSize(shape.get(2)) * outSize(shape.get(3)) * (in / groups) * kernelMacs;
    }

    /**
     * One activation in, one out; a projection in the phase layout gives (transposed) or takes its parts instead.
     */
    @Override
    protected NDList compute(ParameterStore ps, NDList inputs, boolean training) {
        NDArray x = projection != null && !transposed ? inputs.get(0) : inputs.singletonOrThrow();
        long[] count = MACS.get();
        if (count != null) {
            count[0] += macs(x.getShape());
        }
        NDManager m = x.getManager();
        boolean recorded = ForwardPass.modeOf(ps, training).recordsGraph();
        NDArray b = Local.view(ps.getValue(bias, x.getDevice(), training), m);
        NDArray y;
        if (projection != null && transposed) {
            NDList parts = projection.up(x, derivedKernels(ps, x, training, projection::upKernels), b, recorded);
            NDList out = new NDList(parts.size());
            for (NDArray part : parts) {
                out.add(activate(part, ps, training, recorded));
            }
            return out;
        } else if (projection != null) {
            y = projection.down(inputs, derivedKernels(ps, x, training, projection::downKernels), b, recorded);
        } else if (transposed) {
            y = TransposedConv.applyKernel(x, derivedKernels(ps, x, training,
                    w -> new NDList(TransposedConv.asConvWeight(w, stride))).singletonOrThrow(), b, kernel, stride,
                    padding, recorded);
        } else {
            NDArray w = Local.view(ps.getValue(weight, x.getDevice(), training), m);
            y = Convolution.apply(x, w, b, new Shape(stride, stride), new Shape(padding, padding), groups, recorded);
        }
        if (norm != null) {
            y = normalise(y, ps, training);
        }
        return new NDList(activate(y, ps, training, recorded));
    }

    /** The weight as {@code rearrange} makes it; kept by an inference pass. */
    private NDList derivedKernels(ParameterStore ps, NDArray x, boolean training,
            Function<NDArray, NDList> rearrange) {
        return ForwardPass.derived(ps, weight, x, training, rearrange);
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
                if (!a.hasGradient() || !recorded) {
                    // where no gradient reaches the slope, PReLU is leaky ReLU: one op, equal bit for bit
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
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        if (projection != null && transposed) {
            return projection.phaseShapes(inputShapes[0], out);
        }
        Shape s = projection != null ? projection.imageShape(inputShapes[0]) : inputShapes[0];
        long h = outSize(s.get(2));
        long w = outSize(s.get(3));
        return new Shape[] {new Shape(s.get(0), out, h, w)};
    }

    private long outSize(long size) {
        return transposed
                ? (size - 1) * stride - 2L * padding + kernel
                : (size + 2L * padding - kernel) / stride + 1;
    }

    @Override
    public String toString() {
        return String.format("%s(%d→%d, k%d s%d p%d%s%s, %s)", transposed ? "ConvTranspose" : "Conv", in, out,
                kernel, stride, padding, groups > 1 ? " g" + groups : "", norm != null ? " bn" : "", activation);
    }

    /** Builder: {@code in}, {@code out} and {@code kernel} are required; the rest default to a plain conv. */
    public static final class Builder {
        private final int in;
        private final int out;
        private final int kernel;
        private int stride = 1;
        private int padding;
        private int groups = 1;
        private boolean transposed;
        private boolean phaseLayout;
        private Activation activation = Activation.NONE;
        private boolean batchNorm;

        private Builder(int in, int out, int kernel) {
            this.in = in;
            this.out = out;
            this.kernel = kernel;
        }

        public Builder optStride(int stride) {
            this.stride = stride;
            return this;
        }

        public Builder optPadding(int padding) {
            this.padding = padding;
            return this;
        }

        public Builder optGroups(int groups) {
            this.groups = groups;
            return this;
        }

        public Builder optTransposed(boolean transposed) {
            this.transposed = transposed;
            return this;
        }

        /**
         * The high-resolution side in {@link SubPixelProjection}'s phase layout: a transposed conv's output, a strided
         * conv's input (which must come from a transposed conv of the same kernel, stride and padding), as the list
         * of the layout's parts; the kernel must be at least the stride.
         */
        public Builder optPhaseLayout(boolean phaseLayout) {
            this.phaseLayout = phaseLayout;
            return this;
        }

        public Builder optActivation(Activation activation) {
            this.activation = activation;
            return this;
        }

        /** Batch-norm between the convolution and the activation. */
        public Builder optBatchNorm(boolean batchNorm) {
            this.batchNorm = batchNorm;
            return this;
        }

        public ConvLayer build() {
            if (in <= 0 || out <= 0 || kernel <= 0 || stride <= 0 || padding < 0 || groups <= 0) {
                throw new IllegalArgumentException(String.format(
                        "invalid conv: in %d, out %d, kernel %d, stride %d, padding %d, groups %d",
                        in, out, kernel, stride, padding, groups));
            }
            if (in % groups != 0 || out % groups != 0) {
                throw new IllegalArgumentException(
                        "channels " + in + "→" + out + " are not divisible by groups " + groups);
            }
            if (transposed && groups != 1) {
                throw new IllegalArgumentException("transposed convolutions support groups 1 only");
            }
            if (phaseLayout && (groups != 1 || batchNorm)) {
                // batch statistics would count the phase layout's border
                throw new IllegalArgumentException("the phase layout needs groups 1, no batch-norm");
            }
            return new ConvLayer(this);
        }
    }
}
