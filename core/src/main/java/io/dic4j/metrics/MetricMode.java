package io.dic4j.metrics;

/** How PSNR/SSIM treat the Y channel. */
public enum MetricMode {
    /**
     * As the reference (and so the paper) computes them: the uint8 Y image is multiplied by 255 in uint8, which
     * wraps it to 256 − Y. PSNR is unchanged by that; SSIM is not (differences up to 1e-3).
     */
    REFERENCE,
    /** On Y itself. */
    STANDARD
}
