package io.dic4j.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import io.dic4j.model.ops.Local;
import io.dic4j.model.ops.SubPixelProjection;
import java.util.function.Function;

/**
 * A 2-D convolution with what follows it ({@link NormActivation}): the unit every DIC branch (and the evaluation
 * hourglass) is made of. One class per kind, chosen by the {@link Builder}: {@link Conv}, {@link ConvTranspose}, and
 * the feedback block's projections in the phase layout, {@link UpProjection} and {@link DownProjection}.
 *
 * <p>Parameters: {@code weight} in PyTorch's layout ((out, in/groups, k, k), or (in, out, k, k) when transposed),
 * {@code bias} (every convolution here has one), then those of {@link NormActivation}. Shapes are known at
 * construction, so the layer needs no input shape to initialise. Initialisation is PyTorch's default (uniform
 * ±1/√fan_in).
 */
public abstract class ConvLayer extends ScopedBlock {

    final int in;
    final int out;
    final int kernel;
    final int stride;
    final int padding;
    final Parameter weight;
    final Parameter bias;
    final NormActivation post;

    ConvLayer(Builder b, Shape weightShape) {
        in = b.in;
        out = b.out;
        kernel = b.kernel;
        stride = b.stride;
        padding = b.padding;
        // PyTorch computes fan_in from weight dim 1, also for transposed convolutions
        float bound = (float) (1.0 / Math.sqrt((double) weightShape.get(1) * kernel * kernel));
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(weightShape).optInitializer(new UniformInitializer(bound)).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(out)).optInitializer(new UniformInitializer(bound)).build());
        post = new NormActivation(out, b.batchNorm, b.activation, this::addParameter);
    }

    /** A layer reading {@code in} channels and writing {@code out}, with a square kernel. */
    public static Builder builder(int in, int out, int kernel) {
        return new Builder(in, out, kernel);
    }

    /**
     * The multiply-accumulates of a forward on an input whose (first) array has shape {@code input}: every output
     * (or, transposed, input) pixel × kernel × the channels it reads.
     */
    public abstract long macs(Shape input);

    @Override
    protected final NDList compute(ParameterStore ps, NDList inputs, boolean training) {
        return convolve(ps, inputs, training, ForwardPass.modeOf(ps, training));
    }

    /** The layer's forward in a pass of {@code mode}. */
    abstract NDList convolve(ParameterStore ps, NDList inputs, boolean training, ForwardMode mode);

    /** The bias as a pass of {@code mode} uses it ({@link #asUsed}). */
    NDArray bias(ParameterStore ps, NDArray x, boolean training, ForwardMode mode) {
        return asUsed(ps, bias, x, training, mode);
    }

    /** The weight as stored, as a pass of {@code mode} uses it ({@link #asUsed}). */
    NDArray weight(ParameterStore ps, NDArray x, boolean training, ForwardMode mode) {
        return asUsed(ps, weight, x, training, mode);
    }

    /** {@code p} viewed from the manager of {@code x}; a bfloat16 pass keeps it cast. */
    private static NDArray asUsed(ParameterStore ps, Parameter p, NDArray x, boolean training, ForwardMode mode) {
        if (mode.bfloat16()) {
            return ForwardPass.derived(ps, p, x, training, NDList::new).singletonOrThrow();
        }
        return Local.view(ps.getValue(p, x.getDevice(), training), x.getManager());
    }

    /** The weight as {@code rearrange} makes it; kept by an inference pass. */
    NDList derivedKernels(ParameterStore ps, NDArray x, boolean training, Function<NDArray, NDList> rearrange) {
        return ForwardPass.derived(ps, weight, x, training, rearrange);
    }

    /** Output rows (or columns) of an ordinary conv over {@code size} input rows. */
    long convOutSize(long size) {
        return (size + 2L * padding - kernel) / stride + 1;
    }

    /** Output rows (or columns) of a transposed conv over {@code size} input rows. */
    long transposedOutSize(long size) {
        return (size - 1) * stride - 2L * padding + kernel;
    }

    /** The layer's kind, sizes and what follows the conv, e.g. {@code Conv(4→6, k3 s1 p1, RELU)}. */
    String describe(String kind, String extra) {
        return String.format("%s(%d→%d, k%d s%d p%d%s, %s)", kind, in, out, kernel, stride, padding, extra, post);
    }

    /** Builder: {@code in}, {@code out} and {@code kernel} are required; the rest default to a plain conv. */
    public static final class Builder {
        final int in;
        final int out;
        final int kernel;
        int stride = 1;
        int padding;
        int groups = 1;
        boolean transposed;
        boolean phaseLayout;
        Activation activation = Activation.NONE;
        boolean batchNorm;

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
            if (phaseLayout) {
                return transposed ? new UpProjection(this) : new DownProjection(this);
            }
            return transposed ? new ConvTranspose(this) : new Conv(this);
        }
    }
}
