package io.dic4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dic4j.enhance.FaceEnhancer;
import io.dic4j.image.Images;
import io.dic4j.infer.DicPredictor;
import io.dic4j.infer.Nnpack;
import io.dic4j.infer.Precision;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import scala.collection.Seq;

/**
 * The job in local[2] on a small folder. Its tasks run libtorch on one thread each, in batches of the job's; a face's
 * result depends on neither, so each face's PNG equals, byte for byte, the library's for the face alone on two threads
 * and the CLI's output shipped in examples/. In photos mode each photo's PNG and JSON equal, byte for byte, what
 * {@link FaceEnhancer} gives. A broken file and a taken output name are error rows, not a failed job.
 */
class SuperResolveJobTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static SparkSession spark;
    /** The input folder: four 16×16 faces (one in a subfolder), a 20×20 one, a broken PNG, and a PNG
     * named {@code astronaut.tif}, whose output name is astronaut.png's. */
    @TempDir
    static Path in;
    /** What the library gives for each good input, by its path under {@link #in}. */
    private static final Map<String, DicPredictor.Result> EXPECTED = new TreeMap<>();
    /** Photos mode's input folder: examples/astronaut_photo.png and a broken JPEG. */
    @TempDir
    static Path photos;
    /** What the library's enhancer gives for astronaut_photo.png. */
    private static FaceEnhancer.Result enhancedPhoto;

    @TempDir
    Path out;

    @BeforeAll
    static void startSparkAndMakeFaces() throws IOException {
        Nnpack.offWhereUnsupported();
        spark = SparkSession.builder().master("local[2]").appName("SuperResolveJobTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        BufferedImage face = ImageIO.read(Path.of("examples/astronaut_lr.png").toFile());
        Map<String, BufferedImage> faces = Map.of(
                "astronaut.png", face,
                "mirrored.png", mirrored(face),
                "sub/bgr.png", channelsSwapped(face),
                "sub/dark.png", darker(face),
                "large.png", resized(face, 20));
        Files.createDirectories(in.resolve("sub"));
        Map<String, BufferedImage> inputs = new HashMap<>();
        for (Map.Entry<String, BufferedImage> e : faces.entrySet()) {
            Images.writePng(e.getValue(), in.resolve(e.getKey()));
            inputs.put(e.getKey(), DicPredictor.asInput(e.getValue()));
        }
        // the same output name as astronaut.png: the job keeps the first input in order, as dic4j upscale does
        Files.copy(in.resolve("mirrored.png"), in.resolve("astronaut.tif"));
        Files.write(in.resolve("broken.png"), "not a PNG".getBytes(StandardCharsets.US_ASCII));
        try (DicPredictor dic = DicPredictor.builtIn()) {
            for (Map.Entry<String, BufferedImage> e : inputs.entrySet()) {
                EXPECTED.put(e.getKey(), dic.predict(List.of(e.getValue())).get(0));
            }
        }
        Files.copy(Path.of("examples/astronaut_photo.png"), photos.resolve("astronaut_photo.png"));
        Files.write(photos.resolve("broken.jpg"), "not a JPEG".getBytes(StandardCharsets.US_ASCII));
        try (FaceEnhancer enhancer = FaceEnhancer.builtIn()) {
            enhancedPhoto = enhancer.enhance(Images.readRgb(photos.resolve("astronaut_photo.png")),
                    FaceEnhancer.Options.DEFAULT);
        }
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    @Test
    void aFolderBecomesPngsEqualToTheLibrarysAndAListOfFailures() throws IOException {
        SuperResolveJob.Summary s = SuperResolveJob.run(spark, JobOptions.parse("--input", in.toString(), "--output",
                out.toString(), "--format", "png"));
        assertEquals(5, s.written());
        assertEquals(2, s.failed());
        for (Map.Entry<String, DicPredictor.Result> e : EXPECTED.entrySet()) {
            assertArrayEquals(Images.encodePng(e.getValue().sr()), Files.readAllBytes(out.resolve(e.getKey())),
                    e.getKey());
        }
        // ./dic4j upscale's output for the example face
        assertArrayEquals(Files.readAllBytes(Path.of("examples/astronaut_sr.png")),
                Files.readAllBytes(out.resolve("astronaut.png")));
        List<String> failures = Files.readAllLines(out.resolve(SuperResolveJob.FAILURES_FILE));
        String root = "file:" + in.toRealPath();
        assertEquals(List.of(
                "{\"path\":\"" + root + "/astronaut.tif\",\"error\":\"its output name astronaut.png is taken by "
                        + root + "/astronaut.png\"}",
                "{\"path\":\"" + root + "/broken.png\",\"error\":\"not an image (unrecognised content)\"}"),
                failures);
        try (Stream<Path> files = Files.walk(out)) {
            assertEquals(6, files.filter(Files::isRegularFile).count(),
                    "five PNGs, the failures, nothing else (no temporary or checksum files)");
        }
    }

    @Test
    void bf16GivesTheLibrarysBf16Pngs() throws IOException {
        SuperResolveJob.Summary s = SuperResolveJob.run(spark, JobOptions.parse("--input", in.toString(), "--output",
                out.toString(), "--format", "png", "--precision", "bf16"));
        assertEquals(5, s.written());
        try (DicPredictor dic = DicPredictor.builtIn(Precision.BF16)) {
            for (String name : EXPECTED.keySet()) {
                BufferedImage face = DicPredictor.asInput(Images.readRgb(in.resolve(name)));
                byte[] png = Images.encodePng(dic.predict(List.of(face)).get(0).sr());
                assertArrayEquals(png, Files.readAllBytes(out.resolve(name)), name);
                assertFalse(Arrays.equals(Images.encodePng(EXPECTED.get(name).sr()), png), name + " is not fp32's");
            }
        }
        IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> JobOptions.parse(
                "--input", in.toString(), "--output", out.toString(), "--precision", "fp16"));
        assertEquals("unknown precision 'fp16', expected one of fp32, bf16", wrong.getMessage());
    }

    @Test
    void aTableOfImagesBecomesATableOfPngsAndLandmarks() throws IOException {
        Path packed = out.resolve("packed");
        spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(in.toString())
                .selectExpr("path AS file", "content AS image").write().parquet(packed.toString());
        Path table = out.resolve("sr");
        SuperResolveJob.Summary s = SuperResolveJob.run(spark, JobOptions.parse("--input", packed.toString(),
                "--input-format", "parquet", "--id-column", "file", "--bytes-column", "image", "--output",
                table.toString(), "--batch", "4"));
        assertEquals(6, s.written(), "a table's rows need no file names: no name is taken");
        assertEquals(Map.of("file:" + in.toRealPath() + "/broken.png", "not an image (unrecognised content)"),
                s.failures());
        String root = "file:" + in.toRealPath() + "/";
        for (Row r : spark.read().parquet(table.toString()).collectAsList()) {
            String name = r.getString(0).substring(root.length());
            DicPredictor.Result expected = EXPECTED.get(name.equals("astronaut.tif") ? "mirrored.png" : name);
            if (name.equals("broken.png")) {
                assertTrue(r.isNullAt(1) && r.isNullAt(2), "no image, no landmarks");
                continue;
            }
            assertNull(r.get(3), name);
            // batches of 4: each face exactly its result alone (see above)
            assertArrayEquals(Images.encodePng(expected.sr()), (byte[]) r.getAs(1), name);
            List<Seq<Float>> points = r.getList(2);
            assertEquals(68, points.size());
            for (int k = 0; k < 68; k++) {
                assertEquals(expected.landmarks()[k][0], points.get(k).apply(0), name + " point " + k);
                assertEquals(expected.landmarks()[k][1], points.get(k).apply(1), name + " point " + k);
            }
        }
    }

    @Test
    void aFolderOfPhotosBecomesWhatEnhanceWritesAndAListOfFailures() throws IOException {
        SuperResolveJob.Summary s = SuperResolveJob.run(spark, JobOptions.parse("--input", photos.toString(),
                "--output", out.toString(), "--format", "png", "--mode", "photos"));
        assertEquals(1, s.written());
        assertEquals(1, s.failed());
        String root = "file:" + photos.toRealPath();
        assertArrayEquals(Images.encodePng(enhancedPhoto.image()), Files.readAllBytes(out.resolve(
                "astronaut_photo.png")));
        byte[] json = Files.readAllBytes(out.resolve("astronaut_photo.json"));
        assertArrayEquals(enhancedPhoto.jsonFile(root + "/astronaut_photo.png", 8), json,
                new String(json, StandardCharsets.UTF_8));
        assertFalse(JSON.readTree(json).get("faces").isEmpty(), "the astronaut's face is found");
        assertEquals(List.of("{\"path\":\"" + root + "/broken.jpg\",\"error\":\"not an image (unrecognised"
                + " content)\"}"), Files.readAllLines(out.resolve(SuperResolveJob.FAILURES_FILE)));
        try (Stream<Path> files = Files.walk(out)) {
            assertEquals(3, files.filter(Files::isRegularFile).count(), "the PNG, its JSON, the failures");
        }
    }

    @Test
    void aFolderOfPhotosBecomesATableOfPngsAndFaces() throws IOException {
        Path table = out.resolve("enhanced");
        SuperResolveJob.Summary s = SuperResolveJob.run(spark, JobOptions.parse("--input", photos.toString(),
                "--output", table.toString(), "--mode", "photos"));
        assertEquals(1, s.written());
        String root = "file:" + photos.toRealPath();
        assertEquals(Map.of(root + "/broken.jpg", "not an image (unrecognised content)"), s.failures());
        Row r = spark.read().parquet(table.toString()).filter("error IS NULL").first();
        assertEquals(root + "/astronaut_photo.png", r.getString(0));
        assertArrayEquals(Images.encodePng(enhancedPhoto.image()), (byte[]) r.getAs("sr_png"));
        assertEquals(enhancedPhoto.facesJson(), JSON.readTree(r.<String>getAs("faces_json")));
    }

    @Test
    void aBadCommandLineIsAUsageErrorThatSaysWhatIsWrong() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SuperResolveJob.run(new String[] {"--input", in.toString(), "--output", out.toString(),
            "--batch", "0"}, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--batch must be a whole number of at least 1, got"
                + " 0"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theClisLibrariesAreNotOnTheClassPath() {
        for (String cliOnly : new String[] {"io.dic4j.cli.Main", "picocli.CommandLine",
            "org.slf4j.simple.SimpleLogger"}) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(cliOnly), cliOnly);
        }
    }

    private static BufferedImage mirrored(BufferedImage face) {
        int s = face.getWidth();
        BufferedImage out = new BufferedImage(s, s, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                out.setRGB(s - 1 - x, y, face.getRGB(x, y));
            }
        }
        return out;
    }

    private static BufferedImage channelsSwapped(BufferedImage face) {
        return map(face, rgb -> ((rgb & 0xff) << 16) | (rgb & 0xff00) | ((rgb >> 16) & 0xff));
    }

    private static BufferedImage darker(BufferedImage face) {
        return map(face, rgb -> (rgb >> 1) & 0x7f7f7f);
    }

    private static BufferedImage map(BufferedImage face, java.util.function.IntUnaryOperator f) {
        BufferedImage out = new BufferedImage(face.getWidth(), face.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < face.getHeight(); y++) {
            for (int x = 0; x < face.getWidth(); x++) {
                out.setRGB(x, y, f.applyAsInt(face.getRGB(x, y) & 0xffffff));
            }
        }
        return out;
    }

    private static BufferedImage resized(BufferedImage face, int size) {
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        g.drawImage(face, 0, 0, size, size, null);
        g.dispose();
        return out;
    }
}
