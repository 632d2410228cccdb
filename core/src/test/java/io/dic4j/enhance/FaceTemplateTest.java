package io.dic4j.enhance;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dic4j.data.FaceBox;
import io.dic4j.data.FaceDataset;
import io.dic4j.data.FaceRecord;
import io.dic4j.image.Images;
import io.dic4j.image.PilResize;
import io.dic4j.testing.SharedData;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class FaceTemplateTest {

    /**
     * Re-derives {@link FaceTemplate#POINTS} (see its class comment) and checks the constants against it; prints the
     * 68-landmark equivalents (eye centres 36–41 / 42–47, nose tip 30, mouth centre 48–67) beside them.
     */
    @Test
    void deriveFromTheTrainingFaces() throws Exception {
        Path root = SharedData.require("faces300w/train", "FaceTemplateTest");
        FaceDataset faces = FaceDataset.open(root.resolve("info_list.pkl"), root);
        int k = FaceTemplate.KEYPOINTS.length;
        double[][] detected = new double[k][2];
        double[][] landmarks = new double[k][2];
        int found = 0;
        try (FaceDetector detector = FaceDetector.builtIn()) {
            for (FaceRecord face : faces.records()) {
                FaceBox box = face.box();
                int side = box.width();
                double s = FaceTemplate.SIZE / (double) side;
                int x0 = box.xmin() - side / 2;
                int y0 = box.ymin() - side / 2;
                BufferedImage window = PilResize.resize(Images.crop(Images.readRgb(face.image()), x0, y0, 2 * side,
                        2 * side), FaceDetector.INPUT, FaceDetector.INPUT);
                List<Detection> ds = detector.detectWindow(window, FaceDetector.DEFAULT_MIN_SCORE);
                if (ds.isEmpty()) {
                    continue;
                }
                Detection d = ds.stream().max(Comparator.comparingDouble(Detection::score)).orElseThrow();
                double w = 2.0 * side / FaceDetector.INPUT;
                for (int i = 0; i < k; i++) {
                    double[] p = d.keypoints()[FaceTemplate.KEYPOINTS[i]];
                    detected[i][0] += (x0 + p[0] * w - box.xmin()) * s;
                    detected[i][1] += (y0 + p[1] * w - box.ymin()) * s;
                }
                double[][] l = face.landmarks();
                int[][] groups = {{36, 42}, {42, 48}, {30, 31}, {48, 68}};
                for (int i = 0; i < k; i++) {
                    for (int j = groups[i][0]; j < groups[i][1]; j++) {
                        // landmarks put pixel centres at integers, the template at half-integers
                        double n = groups[i][1] - groups[i][0];
                        landmarks[i][0] += (l[j][0] + 0.5 - box.xmin()) * s / n;
                        landmarks[i][1] += (l[j][1] + 0.5 - box.ymin()) * s / n;
                    }
                }
                found++;
            }
        }
        System.out.printf(Locale.ROOT, "BlazeFace found %d of %d training faces%n", found, faces.size());
        assertTrue(found > 0.95 * faces.size(), found + " of " + faces.size());
        for (int i = 0; i < k; i++) {
            double x = detected[i][0] / found;
            double y = detected[i][1] / found;
            System.out.printf(Locale.ROOT, "point %d: detector (%.2f, %.2f), 68 landmarks (%.2f, %.2f), constant"
                    + " (%.2f, %.2f)%n", i, x, y, landmarks[i][0] / found, landmarks[i][1] / found,
                    FaceTemplate.POINTS[i][0], FaceTemplate.POINTS[i][1]);
        }
        for (int i = 0; i < k; i++) {
            double x = detected[i][0] / found;
            double y = detected[i][1] / found;
            // the constants are rounded to 0.01
            assertTrue(Math.hypot(x - FaceTemplate.POINTS[i][0], y - FaceTemplate.POINTS[i][1]) < 0.01,
                    "point " + i + " is (" + x + ", " + y + ")");
        }
    }
}
