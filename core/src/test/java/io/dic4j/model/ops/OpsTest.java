package io.dic4j.model.ops;

import static io.dic4j.testing.Fixtures.array;
import static io.dic4j.testing.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.dic4j.model.layers.ForwardMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ops DJL lacks, against the reference's dic_ops.npz and hand-computed values. */
class OpsTest {

    static final String OPS = "dic_ops.npz";
    NDManager m;

    @BeforeEach
    void open() {
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        m.close();
    }

    @Test
    void pixelShuffleMatchesPyTorch() {
        NDArray out = PixelShuffle.apply(array(m, OPS, "pixelshuffle_in"), 2);
        assertClose(out, array(m, OPS, "pixelshuffle_out"), 0, "pixel shuffle");
    }

    @Test
    void bilinearWithoutAlignedCornersMatchesPyTorch() {
        NDArray out = LinearResize.upsample(array(m, OPS, "bilinear_ac_false_in"), 8, false);
        assertClose(out, array(m, OPS, "bilinear_ac_false_x8"), 5e-7, "bilinear x8");
    }

    @Test
    void bilinearWithAlignedCornersMatchesPyTorch() {
        NDArray out = LinearResize.upsample(array(m, OPS, "bilinear_ac_true_in"), 2, true);
        // values reach 11, where one float32 ulp is 9.5e-7
        assertClose(out, array(m, OPS, "bilinear_ac_true_x2"), 1e-6, "bilinear x2 aligned");
    }

    @Test
    void alignedCornersKeepTheCornersAndHalveTheStep() {
        // in 3 → out 6: sources 0, 0.4, 0.8, 1.2, 1.6, 2
        float[] r = LinearResize.matrix(3, 6, true);
        assertArrayEquals(new float[] {1, 0, 0, .6f, .4f, 0, .2f, .8f, 0, 0, .8f, .2f, 0, .4f, .6f, 0, 0, 1}, r,
                1e-6f);
    }

    @Test
    void transposedConvMatchesHandComputedValues() {
        // x = [1 2], w = [[1 2] [3 4]], stride 2: each input pixel stamps x·w on its own 2×2 tile
        NDArray x = m.create(new float[] {1, 2}, new Shape(1, 1, 1, 2));
        NDArray w = m.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
        NDArray b = m.create(new float[] {0.5f}, new Shape(1));
        float[] out = TransposedConv.apply(x, w, b, 2, 0, ForwardMode.INFERENCE).toFloatArray();
        assertArrayEquals(new float[] {1.5f, 2.5f, 2.5f, 4.5f, 3.5f, 4.5f, 6.5f, 8.5f}, out, 0f);
    }

    @Test
    void transposedConvOverlapsAndCropsLikePyTorch() {
        // k 3, stride 2, padding 1 on [1 2 3] (1-D along width): full output has 7 columns,
        // out[j] = Σ x[i]·w[j − 2i]; the padding crops one column at each side.
        NDArray x = m.create(new float[] {1, 2, 3}, new Shape(1, 1, 1, 3));
        NDArray w = m.create(new float[] {0, 0, 0, 1, 10, 100, 0, 0, 0}, new Shape(1, 1, 3, 3));
        NDArray b = m.zeros(new Shape(1));
        NDArray out = TransposedConv.apply(x, w, b, 2, 1, ForwardMode.INFERENCE);
        assertArrayEquals(new long[] {1, 1, 1, 5}, out.getShape().getShape());
        // full middle row: [1, 10, 100+2, 20, 200+3, 30, 300] → crop 1..5
        assertArrayEquals(new float[] {10, 102, 20, 203, 30}, out.toFloatArray(), 0f);
    }
}
