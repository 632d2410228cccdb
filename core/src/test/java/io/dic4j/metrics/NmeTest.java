package io.dic4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NmeTest {

    @Test
    void meanDistanceOverTheChosenEyeDistance() {
        double[][] gt = new double[68][];
        float[][] pred = new float[68][];
        for (int i = 0; i < 68; i++) {
            gt[i] = new double[] {i, 0};
            pred[i] = new float[] {i, 0};
        }
        gt[45] = new double[] {36 + 40, 0};   // outer corners 40 apart
        gt[46] = new double[] {37 + 25, 0};   // 37..46: 25 apart
        pred[45] = new float[] {76, 0};
        pred[46] = new float[] {62, 0};
        pred[0] = new float[] {3, 4};          // one point 5 px off
        pred[1] = new float[] {1, 6.8f};       // and one 6.8 px off
        double mean = (5 + 6.8) / 68;
        assertEquals(mean / 40, Nme.of(pred, gt, Nme.Normalisation.INTER_OCULAR), 1e-7);
        assertEquals(mean / 25, Nme.of(pred, gt, Nme.Normalisation.REFERENCE_37_46), 1e-7);
    }

    @Test
    void fivePointsNormaliseByTheEyeCentres() {
        double[][] gt = {{10, 10}, {30, 10}, {20, 20}, {12, 30}, {28, 30}};
        float[][] pred = {{10, 12}, {30, 10}, {20, 20}, {12, 30}, {28, 30}};
        assertEquals(2.0 / 5 / 20, Nme.of(pred, gt, Nme.Normalisation.INTER_OCULAR), 1e-12);
    }
}
