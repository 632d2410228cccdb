package io.dic4j.data;

import io.dic4j.image.FaceTensors;
import java.awt.image.BufferedImage;

/**
 * One training or evaluation pair as the network sees it.
 *
 * @param name the record's name
 * @param hr the HR face (e.g. 128×128)
 * @param lr the LR face made from it (e.g. 16×16)
 * @param landmarks the K points in HR pixels, or null for unannotated faces
 * @param heatmaps ground-truth maps (K, s, s) row-major, or null
 * @param heatmapSize s
 */
public record FaceSample(String name, BufferedImage hr, BufferedImage lr, double[][] landmarks, float[] heatmaps,
        int heatmapSize) {

    /** The normalised (3, h, w) LR tensor. */
    public float[] lrTensor() {
        return FaceTensors.toTensor(lr);
    }

    /** The normalised (3, H, W) HR tensor. */
    public float[] hrTensor() {
        return FaceTensors.toTensor(hr);
    }
}
