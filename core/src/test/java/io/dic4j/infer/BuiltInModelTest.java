package io.dic4j.infer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dic4j.data.SyntheticFaces;
import io.dic4j.eval.Evaluation;
import io.dic4j.image.Images;
import io.dic4j.image.PilResize;
import io.dic4j.metrics.ImageQuality;
import io.dic4j.metrics.Nme;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The model that ships in the jar, on the repository's example face and on synthetic faces: no data needed. */
class BuiltInModelTest {

    private static final Path EXAMPLES = Path.of("examples");
    private static final int BORDER = Evaluation.Settings.PAPER.border();

    private static double psnr(BufferedImage image, BufferedImage hr) {
        return ImageQuality.compare(image, hr, BORDER, Evaluation.Settings.PAPER.mode()).psnr();
    }

    @Test
    void beatsBicubicOnTheExampleFace() throws IOException {
        BufferedImage lr = Images.readRgb(EXAMPLES.resolve("astronaut_lr.png"));
        BufferedImage hr = Images.readRgb(EXAMPLES.resolve("astronaut_hr.png"));
        try (DicPredictor dic = DicPredictor.builtIn()) {
            DicPredictor.Result r = dic.predict(List.of(lr)).get(0);
            double sr = psnr(r.sr(), hr);
            double bicubic = psnr(PilResize.resize(lr, 128, 128), hr);
            // measured when the model was committed: see docs/model-card.md
            assertTrue(sr > bicubic + 1.0, "SR " + sr + " dB vs bicubic " + bicubic + " dB");
            assertEquals(68, r.landmarks().length);
        }
    }

    @Test
    void beatsBicubicOnSyntheticFacesAndLocatesTheirLandmarks() throws IOException {
        int faces = 16;
        List<BufferedImage> lrs = new ArrayList<>();
        List<SyntheticFaces.Face> hrs = new ArrayList<>();
        for (int i = 0; i < faces; i++) {
            SyntheticFaces.Face f = SyntheticFaces.draw(1000 + i, 128);
            hrs.add(f);
            lrs.add(PilResize.resize(f.image(), 16, 16));
        }
        double gain = 0;
        try (DicPredictor dic = DicPredictor.builtIn()) {
            List<DicPredictor.Result> results = dic.predict(lrs);
            for (int i = 0; i < faces; i++) {
                BufferedImage hr = hrs.get(i).image();
                gain += psnr(results.get(i).sr(), hr) - psnr(PilResize.resize(lrs.get(i), 128, 128), hr);
            }
        }
        gain /= faces;
        assertTrue(gain > 0.5, "mean PSNR gain over bicubic " + gain + " dB");
    }
}
