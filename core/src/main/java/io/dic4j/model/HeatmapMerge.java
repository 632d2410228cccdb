package io.dic4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.dic4j.landmarks.LandmarkScheme;
import io.dic4j.model.ops.Constants;

/**
 * Turns K landmark heatmaps into the five component maps that drive the attentive fusion: each heatmap is
 * divided by its spatial maximum (at least {@value #MIN_PEAK}, so empty maps are not blown up), then the
 * heatmaps of each component are summed.
 */
public final class HeatmapMerge {

    static final float MIN_PEAK = 0.05f;

    private HeatmapMerge() {}

    /** (N, K, H, W) → (N, 5, H, W). */
    public static NDArray merge(NDArray heatmaps, LandmarkScheme scheme) {
        Shape s = heatmaps.getShape();
        long k = s.get(1);
        if (k != scheme.points()) {
            throw new IllegalArgumentException(k + " heatmaps given for the " + scheme + " scheme");
        }
        NDArray peak = heatmaps.max(new int[] {3}, true).max(new int[] {2}, true)
                .maximum(Constants.scalar(heatmaps.getManager(), MIN_PEAK));
        NDArray normalised = heatmaps.div(peak);
        NDArray groups = Constants.of(heatmaps.getManager(), scheme.componentMatrix(),
                new Shape(LandmarkScheme.COMPONENTS, k));
        return groups.matMul(normalised.reshape(s.get(0), k, s.get(2) * s.get(3)))
                .reshape(s.get(0), LandmarkScheme.COMPONENTS, s.get(2), s.get(3));
    }
}
