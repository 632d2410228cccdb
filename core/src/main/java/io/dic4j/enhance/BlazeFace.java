package io.dic4j.enhance;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import io.dic4j.weights.StateDict;
import io.dic4j.weights.Tensor;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * MediaPipe's BlazeFace short-range detector (the "front" model, 128×128 input) on DJL's engine: a 5×5 stride-2
 * stem, 16 BlazeBlocks (a 3×3 depthwise conv and a 1×1 conv, with a residual that is max-pooled where the block
 * strides and zero-padded where it widens), and 1×1 heads on the 16×16 map (2 anchors a cell) and the 8×8 map
 * (6 anchors a cell). Weights: {@code tools/blazeface_weights.py} converts the published ONNX.
 *
 * <p>The convolutions pad as TensorFlow's "SAME" does, where the graph came from: the extra row and column of an
 * even-sized stride-2 window go at the bottom and right.
 *
 * <p>The 1×1 convs run as what they are, matrix products over the channels: libtorch 2.7.1's oneDNN 1×1 conv gave
 * wrong outputs (errors of 1–6) on a depthwise conv's output, with two threads, on an AVX-512 EPYC, whatever the
 * channel counts were padded to. {@code BlazeFaceTest} checks the whole network against ONNX Runtime.
 *
 * <p>Thread-safe: the weights are only read.
 */
final class BlazeFace implements AutoCloseable {

    /** Channels out of each BlazeBlock; the blocks marked in {@link #STRIDE_TWO} halve the map. */
    private static final int[] CHANNELS = {24, 28, 32, 36, 42, 48, 56, 64, 72, 80, 88, 96, 96, 96, 96, 96};

    private static final boolean[] STRIDE_TWO = {
        false, false, true, false, false, true, false, false, false, false, false, true, false, false, false, false
    };

    /** The input's side. */
    static final int INPUT = 128;

    private static final int STEM_CHANNELS = 24;

    /** The block whose 16×16 map the first heads read. */
    private static final int GRID16_BLOCK = 10;

    private final NDManager manager;
    private final Map<String, NDArray> weights = new HashMap<>();

    /** The two grids' outputs for a batch: per anchor a score logit and 16 box values, as MediaPipe orders them. */
    record Output(float[] scores16, float[] boxes16, float[] scores8, float[] boxes8) {}

    BlazeFace(StateDict dict) throws IOException {
        manager = NDManager.newBaseManager();
        try {
            load(dict, "stem.weight", STEM_CHANNELS, 3, 5, 5);
            load(dict, "stem.bias", STEM_CHANNELS);
            int in = STEM_CHANNELS;
            for (int i = 0; i < CHANNELS.length; i++) {
                load(dict, "blocks." + i + ".depthwise.weight", in, 1, 3, 3);
                load(dict, "blocks." + i + ".pointwise.weight", CHANNELS[i], in, 1, 1);
                load(dict, "blocks." + i + ".pointwise.bias", CHANNELS[i]);
                in = CHANNELS[i];
            }
            head(dict, "head16", CHANNELS[GRID16_BLOCK], 2);
            head(dict, "head8", CHANNELS[CHANNELS.length - 1], 6);
            if (weights.size() != dict.tensors().size()) {
                throw new IOException(dict.source() + ": tensors BlazeFace does not have: " + dict.tensors().keySet()
                        .stream().filter(k -> !weights.containsKey(k)).toList());
            }
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private void head(StateDict dict, String name, int in, int anchors) throws IOException {
        load(dict, name + ".scores.weight", anchors, in, 1, 1);
        load(dict, name + ".scores.bias", anchors);
        load(dict, name + ".boxes.weight", anchors * 16, in, 1, 1);
        load(dict, name + ".boxes.bias", anchors * 16);
    }

    private void load(StateDict dict, String name, long... shape) throws IOException {
        Tensor t = dict.tensors().get(name);
        if (t == null) {
            throw new IOException(dict.source() + ": no tensor " + name);
        }
        if (!Arrays.equals(t.shape(), shape)) {
            throw new IOException(dict.source() + ": " + name + " is " + t.shapeString() + ", BlazeFace needs "
                    + Tensor.shapeString(shape));
        }
        // a 1×1 conv's weight as the matrix it multiplies by
        boolean pointwise = shape.length == 4 && shape[2] == 1 && shape[3] == 1;
        weights.put(name, manager.create(t.values(), pointwise ? new Shape(shape[0], shape[1]) : new Shape(shape)));
    }

    /**
     * Runs the network on a batch of 128×128 RGB images.
     *
     * @param images {@code batch} images, each 128×128×3 (HWC), scaled to [-1, 1]
     * @return image after image: 512 scores and 512×16 box values of the 16×16 grid, then 384 and 384×16 of the
     *     8×8 grid
     */
    Output run(float[] images, int batch) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray nchw = scope.create(images, new Shape(batch, INPUT, INPUT, 3)).transpose(0, 3, 1, 2);
            NDArray x = Activation.relu(conv(samePad(nchw, 1, 2), "stem", 2, 0));
            NDArray grid16 = null;
            int in = STEM_CHANNELS;
            for (int i = 0; i < CHANNELS.length; i++) {
                x = blazeBlock(x, i, in);
                in = CHANNELS[i];
                if (i == GRID16_BLOCK) {
                    grid16 = x;
                }
            }
            return new Output(head(grid16, "head16.scores"), head(grid16, "head16.boxes"), head(x, "head8.scores"),
                    head(x, "head8.boxes"));
        }
    }

    private NDArray blazeBlock(NDArray x, int i, int in) {
        String name = "blocks." + i;
        boolean stride2 = STRIDE_TWO[i];
        NDArray h = stride2
                ? depthwise(samePad(x, 0, 1), name + ".depthwise", 2, 0)
                : depthwise(x, name + ".depthwise", 1, 1);
        h = pointwise(h, name + ".pointwise");
        NDArray skip = stride2 ? Pool.maxPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false) : x;
        if (CHANNELS[i] > in) {
            // zero channels appended, as the graph's Pad of the channel axis
            skip = skip.pad(new Shape(0, 0, 0, 0, 0, CHANNELS[i] - in), 0);
        }
        return Activation.relu(h.add(skip));
    }

    private NDArray conv(NDArray x, String layer, int stride, int pad) {
        return conv(x, layer, stride, pad, 1);
    }

    private NDArray depthwise(NDArray x, String layer, int stride, int pad) {
        return conv(x, layer, stride, pad, (int) x.getShape().get(1));
    }

    private NDArray conv(NDArray x, String layer, int stride, int pad, int groups) {
        return Conv2d.conv2d(x, weights.get(layer + ".weight"), weights.get(layer + ".bias"),
                new Shape(stride, stride), new Shape(pad, pad), new Shape(1, 1), groups).singletonOrThrow();
    }

    /** A 1×1 conv: (out, in) weight times each pixel's channels, plus the bias. */
    private NDArray pointwise(NDArray x, String layer) {
        Shape s = x.getShape();
        NDArray w = weights.get(layer + ".weight");
        long out = w.getShape().get(0);
        return w.matMul(x.reshape(s.get(0), s.get(1), s.get(2) * s.get(3)))
                .add(weights.get(layer + ".bias").reshape(out, 1)).reshape(s.get(0), out, s.get(2), s.get(3));
    }

    /** Pads height and width by {@code before} at the top and left and {@code after} at the bottom and right. */
    private static NDArray samePad(NDArray x, int before, int after) {
        return x.pad(new Shape(before, after, before, after), 0);
    }

    /** A 1×1 head, its output laid out cell by cell, anchor by anchor (NHWC), flattened over the batch. */
    private float[] head(NDArray map, String layer) {
        return pointwise(map, layer).transpose(0, 2, 3, 1).toFloatArray();
    }

    @Override
    public void close() {
        manager.close();
    }
}
