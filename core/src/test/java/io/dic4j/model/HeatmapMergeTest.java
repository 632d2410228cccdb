package io.dic4j.model;

import static io.dic4j.testing.Fixtures.array;
import static io.dic4j.testing.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.dic4j.landmarks.LandmarkScheme;
import org.junit.jupiter.api.Test;

class HeatmapMergeTest {

    @Test
    void mergeAndSoftmaxMatchTheReference() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray merged = HeatmapMerge.merge(array(m, "dic_ops.npz", "merge_in"), LandmarkScheme.IBUG_68);
            assertClose(merged, array(m, "dic_ops.npz", "merge_out"), 1e-6, "merge");
            assertClose(merged.softmax(1), array(m, "dic_ops.npz", "merge_softmax_dim1"), 1e-6, "softmax");
        }
    }

    @Test
    void weakHeatmapsAreDividedByTheFloorNotTheirPeak() {
        try (NDManager m = NDManager.newBaseManager()) {
            // one 1×2 map per point: point 36 (left eye) peaks at 0.01 < 0.05, point 30 (nose) at 2
            float[] v = new float[68 * 2];
            v[36 * 2] = 0.01f;
            v[30 * 2 + 1] = 2f;
            NDArray merged = HeatmapMerge.merge(m.create(v, new Shape(1, 68, 1, 2)), LandmarkScheme.IBUG_68);
            float[] out = merged.toFloatArray();
            assertEquals(0.01f / 0.05f, out[0], 1e-6f, "left eye");
            assertEquals(1f, out[2 * 2 + 1], 1e-6f, "nose");
        }
    }

    @Test
    void schemesCoverTheDocumentedPoints() {
        assertEquals(6, LandmarkScheme.IBUG_68.component(0).length);
        assertEquals(27, LandmarkScheme.IBUG_68.component(4).length);
        assertEquals(19 + 19, LandmarkScheme.HELEN_194.component(0).length);
        assertEquals(55, LandmarkScheme.HELEN_194.component(3).length);
        assertThrows(IllegalArgumentException.class, () -> LandmarkScheme.forPoints(5));
    }
}
