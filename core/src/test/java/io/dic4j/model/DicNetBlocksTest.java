package io.dic4j.model;

import static io.dic4j.testing.Blocks.child;
import static io.dic4j.testing.Blocks.run;
import static io.dic4j.testing.Fixtures.array;
import static io.dic4j.testing.Fixtures.assertClose;
import static io.dic4j.testing.Fixtures.assertRelClose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.dic4j.landmarks.LandmarkScheme;
import io.dic4j.model.ops.LinearResize;
import io.dic4j.model.ops.PixelShuffle;
import io.dic4j.testing.Fixtures;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each block alone, fed the reference's own intermediate activations (dic_small_intermediates.npz). */
class DicNetBlocksTest {

    static final String SMALL = "dic_small.npz";
    static final String MID = "dic_small_intermediates.npz";
    static final double TOLERANCE = 2e-6;
    static NDManager manager;
    static DicNet net;
    NDManager m;
    ParameterStore ps;

    @BeforeAll
    static void load() {
        manager = NDManager.newBaseManager();
        net = DicNetParityTest.loadInto(manager, Fixtures.npz(SMALL));
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    @BeforeEach
    void open() {
        m = manager.newSubManager();
        ps = new ParameterStore(m, false);
    }

    @AfterEach
    void closeStep() {
        m.close();
    }

    NDArray ref(String key) {
        return array(m, key.startsWith("sr_") || key.startsWith("heatmap_") || key.equals("input") ? SMALL : MID,
                key);
    }

    @Test
    void featureExtraction() {
        NDArray conv = run(child(net, "features"), ps, ref("input")).singletonOrThrow();
        assertClose(conv, ref("conv_in_out"), TOLERANCE, "conv_in");
        assertClose(PixelShuffle.apply(conv, 2), ref("pixelshuffle_out"), TOLERANCE, "pixel shuffle");
    }

    @Test
    void interpolatedResidual() {
        assertClose(LinearResize.upsample(ref("input"), 8, false), ref("inter_res"), TOLERANCE, "inter_res");
    }

    @Test
    void firstFeedbackBlock() {
        NDArray out = run(child(net, "firstBlock"), ps, ref("pixelshuffle_out")).singletonOrThrow();
        assertClose(out, ref("first_block_out"), TOLERANCE, "first block");
    }

    @Test
    void reconstructionTransposedConv() {
        NDArray out = run(child(net, "upsample"), ps, ref("first_block_out")).singletonOrThrow();
        assertClose(out, ref("out_deconv_out_step0"), TOLERANCE, "out deconv");
    }

    @Test
    void hourglassStemAndHiddenState() {
        FeedbackHourglass hg = (FeedbackHourglass) child(net, "alignment");
        assertClose(hg.stem(ps, ref("sr_0"), false), ref("hg_pre_conv_out_step0"), TOLERANCE, "pre conv");
        NDList out = run(hg, ps, ref("sr_0"));
        assertClose(out.get(0), ref("heatmap_0"), 1e-5, "heatmap 0");
        assertClose(out.get(1), ref("hg_hidden_step0"), 1e-5, "hidden 0");
    }

    @Test
    void mergedHeatmapsOfEachStep() {
        for (int t = 0; t < 3; t++) {
            NDArray merged = HeatmapMerge.merge(ref("heatmap_" + t), LandmarkScheme.IBUG_68);
            // merged maps reach 270: compare relative to their size
            assertRelClose(merged, ref("merged_heatmap_" + t), 1e-6, "merged heatmap " + t);
        }
    }

    @Test
    void attentiveBlockAndFusion() {
        NDArray x = ref("pixelshuffle_out");
        NDArray hidden = ref("first_block_out");
        NDArray attention = ref("merged_heatmap_0");
        NDArray compressed = run(child(net, "attentiveBlock.compressIn"), ps, x.concat(hidden, 1))
                .singletonOrThrow();
        NDArray fused = run(child(net, "attentiveBlock.fusion"), ps, compressed, attention).singletonOrThrow();
        assertClose(fused, ref("fusion_block_out_step1"), TOLERANCE, "fusion");
        NDArray out = run(child(net, "attentiveBlock"), ps, x, hidden, attention).singletonOrThrow();
        assertClose(out, ref("block_out_step1"), TOLERANCE, "block step 1");
    }
}
