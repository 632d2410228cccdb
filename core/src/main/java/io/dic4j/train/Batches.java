package io.dic4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.dic4j.data.FaceSample;
import io.dic4j.image.FaceTensors;
import io.dic4j.model.ops.Constants;
import java.util.List;

/** Stacks a batch of samples into the network's tensors. */
final class Batches {

    /** (N, 3, h, w) LR, (N, 3, H, W) HR, (N, K, s, s) GT heatmaps. */
    record Tensors(NDArray lr, NDArray hr, NDArray heatmaps) {}

    private Batches() {}

    static Tensors tensors(NDManager m, List<FaceSample> batch) {
        FaceSample first = batch.get(0);
        int n = batch.size();
        int h = first.hr().getHeight();
        int w = first.hr().getWidth();
        int lh = first.lr().getHeight();
        int lw = first.lr().getWidth();
        int s = first.heatmapSize();
        int k = first.landmarks() == null ? 0 : first.landmarks().length;
        float[] lr = new float[n * 3 * lh * lw];
        float[] hr = new float[n * 3 * h * w];
        float[] heat = new float[n * k * s * s];
        for (int i = 0; i < n; i++) {
            FaceSample f = batch.get(i);
            if (f.heatmaps() == null) {
                throw new IllegalArgumentException(f.name() + " has no landmarks; training needs them (annotate the"
                        + " set, e.g. with dic4j landmarks)");
            }
            FaceTensors.toTensor(f.lr(), lr, i * 3 * lh * lw);
            FaceTensors.toTensor(f.hr(), hr, i * 3 * h * w);
            System.arraycopy(f.heatmaps(), 0, heat, i * k * s * s, k * s * s);
        }
        // copies owned by libtorch: autograd keeps them for the backward pass (see Constants)
        return new Tensors(Constants.of(m, lr, new Shape(n, 3, lh, lw)), Constants.of(m, hr, new Shape(n, 3, h, w)),
                Constants.of(m, heat, new Shape(n, k, s, s)));
    }
}
