package io.dic4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dic4j.image.ImageReadException;
import io.dic4j.testing.SharedData;
import io.dic4j.image.Images;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every annotation format into the one dataset abstraction, and a clear error for each kind of bad input. */
class AnnotationReadersTest {

    @TempDir
    Path dir;

    private void image(String name, int w, int h) throws IOException {
        Images.writePng(new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB), dir.resolve(name));
    }

    private void write(String name, String text) throws IOException {
        Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static String pts(int n, boolean header) {
        StringBuilder s = new StringBuilder(header ? "version: 1\nn_points:  68\n{\n" : "");
        for (int i = 0; i < n; i++) {
            s.append(10 + i).append(' ').append(20.5 + i).append('\n');
        }
        return s.append(header ? "}\n" : "").toString();
    }

    @Test
    void ptsWithAndWithoutHeaderAreOneBasedAndBoxesComeFromTheCsv() throws IOException {
        image("a.png", 100, 120);
        image("b.png", 100, 120);
        write("a.pts", pts(68, true));
        write("b.pts", pts(68, false));
        write("boxes.csv", "image,xmin,ymin,xmax,ymax\na.png,-5,3,90,98\nb.png,1,2,50,60\n");
        FaceDataset ds = FaceDataset.open(dir.resolve("boxes.csv"), dir);
        assertEquals(2, ds.size());
        assertEquals(68, ds.landmarkCount());
        assertEquals(new FaceBox(-5, 3, 90, 98), ds.get(0).box());
        assertArrayEquals(new double[] {9, 19.5}, ds.get(0).landmarks()[0]);
        assertArrayEquals(ds.get(0).landmarks()[67], ds.get(1).landmarks()[67]);
        // a folder of .pts: boxes around the points
        FaceDataset around = FaceDataset.open(dir, dir);
        assertEquals(FaceBox.around(around.get(0).landmarks()), around.get(0).box());
    }

    @Test
    void helenCelebaAndPlainFolders() throws IOException {
        image("100032540_1.jpg", 300, 300);
        Path ann = Files.createDirectories(dir.resolve("annotation"));
        StringBuilder helen = new StringBuilder("100032540_1\n");
        for (int i = 0; i < 194; i++) {
            helen.append(100 + i * 0.5).append(" , ").append(80 + i * 0.25).append('\n');
        }
        Files.writeString(ann.resolve("1.txt"), helen);
        FaceDataset h = FaceDataset.open(ann, dir);
        assertEquals(194, h.landmarkCount());
        assertArrayEquals(new double[] {100.5, 80.25}, h.get(0).landmarks()[1]);
        assertEquals("100032540_1.jpg", h.get(0).name());

        image("000001.jpg", 178, 218);
        image("000002.jpg", 178, 218);
        write("list_landmarks_align_celeba.txt", "2\nlefteye_x lefteye_y righteye_x righteye_y nose_x nose_y"
                + " leftmouth_x leftmouth_y rightmouth_x rightmouth_y\n000001.jpg 69  109  106  113   77  142   73"
                + "  152  108  154\n000002.jpg 69  110  107  112   81  135   70  151  108  153\n");
        FaceDataset c = FaceDataset.open(dir.resolve("list_landmarks_align_celeba.txt"), dir);
        assertEquals(5, c.landmarkCount());
        assertArrayEquals(new double[] {107, 112}, c.get(1).landmarks()[1]);
        assertNull(c.get(0).box());
        // no box: the centred square of the aligned image
        FaceSample s = new SampleMaker(SampleOptions.EVALUATION).make(c.get(0), new Random(0));
        assertEquals(128 * (109 - 20) / 178.0, s.landmarks()[0][1], 1e-9);

        FaceDataset plain = FaceDataset.open(null, dir);
        assertEquals(List.of("000001.jpg", "000002.jpg", "100032540_1.jpg"),
                plain.records().stream().map(FaceRecord::name).toList());
        assertEquals(0, plain.landmarkCount());
    }

    @Test
    void imageListsKeepOrLeaveOutTheListedFacesAndNameAnUnknownOne() throws IOException {
        for (String n : List.of("a.png", "b.png", "c.png")) {
            image(n, 20, 20);
        }
        FaceDataset all = FaceDataset.open(null, dir);
        write("val.txt", "# held out\nb.png\n\nc.png\n");
        assertEquals(List.of("b.png", "c.png"), names(all.subset(dir.resolve("val.txt"), true)));
        assertEquals(List.of("a.png"), names(all.subset(dir.resolve("val.txt"), false)));
        write("typo.txt", "b.png\nd.png\n");
        AnnotationException e = assertThrows(AnnotationException.class,
                () -> all.subset(dir.resolve("typo.txt"), true));
        assertTrue(e.getMessage().contains("typo.txt:2") && e.getMessage().contains("'d.png'"), e.getMessage());
        write("everything.txt", "a.png\nb.png\nc.png\n");
        assertThrows(AnnotationException.class, () -> all.subset(dir.resolve("everything.txt"), false));
    }

    private static List<String> names(FaceDataset d) {
        return d.records().stream().map(FaceRecord::name).toList();
    }

    @Test
    void boxesAroundLandmarksEqualThe300WBoxes() throws IOException {
        Path data = SharedData.require("faces300w/train", "boxesAroundLandmarksEqualThe300WBoxes");
        FaceDataset ds = FaceDataset.open(data.resolve("bboxes.csv"), data);
        int exact = 0;
        for (FaceRecord r : ds.records()) {
            // the box rule works on the files' 1-based coordinates
            double[][] oneBased = new double[68][];
            for (int i = 0; i < 68; i++) {
                oneBased[i] = new double[] {r.landmarks()[i][0] + 1, r.landmarks()[i][1] + 1};
            }
            FaceBox b = FaceBox.around(oneBased);
            FaceBox e = r.box();
            int d = Math.max(Math.max(Math.abs(b.xmin() - e.xmin()), Math.abs(b.ymin() - e.ymin())),
                    Math.max(Math.abs(b.xmax() - e.xmax()), Math.abs(b.ymax() - e.ymax())));
            assertTrue(d <= 1, r.name() + ": " + b + " vs " + e);
            exact += d == 0 ? 1 : 0;
        }
        assertEquals(1207, ds.size());
        assertTrue(exact >= 1200, exact + " of 1207 boxes exact");
        System.out.printf("300-W boxes: %d of %d equal to bboxes.csv, the rest within 1 px%n", exact, ds.size());
    }

    private String error(ThrowingRunnable r) {
        Exception e = assertThrows(IOException.class, r::run);
        return e.getMessage();
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void malformedInputsNameTheFileAndTheReason() throws IOException {
        image("a.png", 50, 50);
        write("bad.pkl", "this is not a pickle");
        String m = error(() -> FaceDataset.open(dir.resolve("bad.pkl"), dir));
        assertTrue(m.contains("bad.pkl") && m.contains("pickle"), m);

        write("a.pts", pts(67, true));
        write("boxes.csv", "image,xmin,ymin,xmax,ymax\na.png,0,0,40,40\n");
        m = error(() -> FaceDataset.open(dir.resolve("boxes.csv"), dir));
        assertTrue(m.contains("a.pts") && m.contains("67 points") && m.contains("n_points: 68"), m);

        write("a.pts", pts(68, true).replace("12 22.5", "12 x"));
        m = error(() -> FaceDataset.open(dir.resolve("boxes.csv"), dir));
        assertTrue(m.contains("a.pts:6:") && m.contains("'x' is not a number"), m);

        write("a.pts", pts(68, true));
        write("boxes.csv", "image,xmin,ymin,xmax,ymax\na.png,0,0,40\n");
        m = error(() -> FaceDataset.open(dir.resolve("boxes.csv"), dir));
        assertTrue(m.contains("boxes.csv:2:") && m.contains("5 fields"), m);

        write("boxes.csv", "image,xmin,ymin,xmax,ymax\na.png,60,60,90,90\n");
        FaceDataset outside = FaceDataset.open(dir.resolve("boxes.csv"), dir);
        m = error(() -> new SampleMaker(SampleOptions.EVALUATION).make(outside.get(0), new Random(0)));
        assertTrue(m.contains("a.png") && m.contains("outside the 50x50 image"), m);

        write("boxes.csv", "image,xmin,ymin,xmax,ymax\na.png,0,0,40,40\nmissing.png,0,0,4,4\n");
        write("missing.pts", pts(68, true));
        m = error(() -> FaceDataset.open(dir.resolve("boxes.csv"), dir));
        assertTrue(m.contains("1 of 2 images are missing") && m.contains("missing.png"), m);

        write("broken.png", "not an image at all");
        FaceRecord broken = new FaceRecord("broken.png", dir.resolve("broken.png"), null, null);
        Exception e = assertThrows(ImageReadException.class,
                () -> new SampleMaker(SampleOptions.EVALUATION).make(broken, new Random(0)));
        assertTrue(e.getMessage().contains("broken.png"), e.getMessage());
    }

    @Test
    void bytesNoReaderExpectsAreAnnotationErrorsNamingTheFile() throws IOException {
        // what the fuzz tests look for: each of these escaped as another exception, or without the file's name
        Files.write(dir.resolve("latin1.pts"), "version: 1\n{\n1 2\n\u00e9\n}\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(dir.resolve("latin1.pts") + ": not UTF-8 text",
                error(() -> PtsReader.readPoints(dir.resolve("latin1.pts"))));

        write("nan.pts", "1 2\nNaN 4\n");
        assertEquals(dir.resolve("nan.pts") + ":2: 'NaN' is not a finite number",
                error(() -> PtsReader.readPoints(dir.resolve("nan.pts"))));

        write("nul.csv", "image,xmin,ymin,xmax,ymax\na\u0000.png,0,0,40,40\n");
        assertTrue(error(() -> PtsReader.read(dir, dir.resolve("nul.csv")))
                .startsWith(dir.resolve("nul.csv") + ":2: 'a\u0000.png' is not a file name"));

        image("one.png", 50, 50);
        write("one.pts", "3 4\n");
        assertTrue(error(() -> PtsReader.read(dir, null)).startsWith(dir.resolve("one.pts") + ": its points give no"
                + " face box: empty face box"));

        Path helen = Files.createDirectories(dir.resolve("helen"));
        Files.writeString(helen.resolve("1.txt"), "one\n" + "5 , 5\n".repeat(HelenReader.POINTS));
        assertTrue(error(() -> HelenReader.read(helen, dir)).startsWith(helen.resolve("1.txt") + ": its points give"
                + " no face box"));

        Files.write(dir.resolve("celeba.txt"), new byte[] {'1', '\n', (byte) 0xff, '\n'});
        assertEquals(false, CelebaReader.looksLike(dir.resolve("celeba.txt")));
        assertEquals(dir.resolve("celeba.txt") + ": not UTF-8 text",
                error(() -> CelebaReader.read(dir.resolve("celeba.txt"), dir)));
    }

    @Test
    void distortNarrowsTheBoxAroundTheLandmarksAsTheReference() {
        double[][] points = new ArrayList<>(List.of(new double[] {30, 40}, new double[] {70, 60}))
                .toArray(double[][]::new);
        FaceBox box = new FaceBox(0, 0, 100, 100);
        // ratio h/w 0.5: height 50 centred on the landmarks' y centre 50
        assertEquals(new FaceBox(0, 25, 100, 75), SampleMaker.distort(box, points, 0.5));
        // ratio 0.1 is clipped to keep the landmarks (extent 20 of 100 → 0.2)
        assertEquals(new FaceBox(0, 40, 100, 60), SampleMaker.distort(box, points, 0.1));
        // ratio 2: width 50 centred on x 50
        assertEquals(new FaceBox(25, 0, 75, 100), SampleMaker.distort(box, points, 2.0));
        assertEquals(box, SampleMaker.distort(box, points, 1.0));
    }
}
