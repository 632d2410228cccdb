package io.dic4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dic4j.testing.Fixtures;
import java.awt.image.BufferedImage;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** PSNR/SSIM against the reference's values for 6 SR/HR pairs (pil_resize_and_metrics.json). */
class ImageQualityTest {

    static BufferedImage image(String key) {
        return Fixtures.rgbImage("pil_resize_and_metrics.npz", key);
    }

    @Test
    void bothModesMatchTheReferenceOnEveryPair() throws IOException {
        JsonNode metrics = new ObjectMapper().readTree(Fixtures.path("pil_resize_and_metrics.json").toFile())
                .get("metrics");
        for (JsonNode m : metrics) {
            int i = m.get("index").asInt();
            int border = m.get("crop_border").asInt();
            BufferedImage sr = image("metric_sr_" + i);
            BufferedImage hr = image("metric_hr_" + i);
            ImageQuality.Scores ref = ImageQuality.compare(sr, hr, border, MetricMode.REFERENCE);
            ImageQuality.Scores std = ImageQuality.compare(sr, hr, border, MetricMode.STANDARD);
            assertEquals(m.get("reference_psnr").asDouble(), ref.psnr(), 1e-6, "PSNR " + i);
            assertEquals(m.get("reference_ssim").asDouble(), ref.ssim(), 1e-6, "SSIM " + i);
            assertEquals(m.get("reference_psnr").asDouble(), std.psnr(), 1e-6, "the wrap leaves PSNR alone " + i);
            assertEquals(m.get("ssim_on_unwrapped_y").asDouble(), std.ssim(), 1e-9, "standard SSIM " + i);
        }
    }

    @Test
    void handComputedPsnrAndPerfectSsim() {
        // Y differs by exactly 1 grey level everywhere: MSE 1, PSNR = 20·log10(255)
        double[][] a = new double[20][20];
        double[][] b = new double[20][20];
        for (int r = 0; r < 20; r++) {
            for (int c = 0; c < 20; c++) {
                a[r][c] = 100 + r;
                b[r][c] = 101 + r;
            }
        }
        assertEquals(20 * Math.log10(255), ImageQuality.psnr(a, b), 1e-12);
        assertEquals(1.0, ImageQuality.ssim(a, a), 1e-12);
    }

    @Test
    void imagesTooSmallForTheCropAreRejected() {
        BufferedImage tiny = new BufferedImage(20, 20, BufferedImage.TYPE_INT_RGB);
        assertThrows(IllegalArgumentException.class, () -> ImageQuality.compare(tiny, tiny, 8, MetricMode.REFERENCE));
    }
}
