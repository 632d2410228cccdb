package io.dic4j.enhance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dic4j.image.SimilarityWarp;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SimilarityTest {

    @Test
    void fitRecoversAKnownTransformFromNoisyPoints() {
        Similarity truth = new Similarity(0.3 * Math.cos(0.4), 0.3 * Math.sin(0.4), 57.5, -12.25);
        Random random = new Random(7);
        double[][] from = new double[40][];
        double[][] to = new double[40][];
        for (int i = 0; i < from.length; i += 2) {
            double[] p = {random.nextDouble() * 128, random.nextDouble() * 128};
            double[] q = truth.apply(p[0], p[1]);
            // each point twice, displaced both ways: noise whose least-squares answer is still the truth
            from[i] = p;
            from[i + 1] = p;
            to[i] = new double[] {q[0] + 0.01, q[1] - 0.01};
            to[i + 1] = new double[] {q[0] - 0.01, q[1] + 0.01};
        }
        Similarity fit = Similarity.fit(from, to);
        assertEquals(truth.a(), fit.a(), 1e-9);
        assertEquals(truth.b(), fit.b(), 1e-9);
        assertEquals(truth.tx(), fit.tx(), 1e-7);
        assertEquals(truth.ty(), fit.ty(), 1e-7);
    }

    @Test
    void itsWarpMapsPatchPointsAsTheTransformDoes() {
        Similarity s = new Similarity(0.2, -0.05, 30, 40);
        SimilarityWarp warp = s.warp(128);
        for (double[] p : new double[][] {{0, 0}, {128, 0}, {17.5, 99.25}, {64, 64}}) {
            assertArrayEquals(s.apply(p[0], p[1]), warp.toSource(p[0], p[1]), 1e-9);
        }
        // the same square at 16 px: a face's LR beside its 128 px frame
        assertArrayEquals(s.apply(64, 32), warp.withSize(16).toSource(8, 4), 1e-9);
    }
}
