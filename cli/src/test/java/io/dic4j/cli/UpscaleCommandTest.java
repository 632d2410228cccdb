package io.dic4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dic4j.testing.Fixtures;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class UpscaleCommandTest {

    @TempDir
    Path dir;

    record Run(int exitCode, String err) {}

    static Run run(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new Main());
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, err.toString());
    }

    static BufferedImage solid(int w, int h, int type, int rgb) {
        BufferedImage img = new BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb ^ (x * 7 + y * 13));
            }
        }
        return img;
    }

    @Test
    void aMixedFolderGivesOneOutputPerGoodImageAndNamesEveryBadOne() throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path out = dir.resolve("out");
        ImageIO.write(solid(16, 16, BufferedImage.TYPE_INT_RGB, 0x806040), "png", in.resolve("face16.png").toFile());
        ImageIO.write(solid(40, 48, BufferedImage.TYPE_INT_RGB, 0x705030), "jpg", in.resolve("big.jpg").toFile());
        ImageIO.write(solid(16, 16, BufferedImage.TYPE_BYTE_GRAY, 0x808080), "png", in.resolve("grey.png").toFile());
        Files.writeString(in.resolve("notes.txt"), "not a face");
        Files.createFile(in.resolve("empty.png"));
        byte[] png = Files.readAllBytes(in.resolve("face16.png"));
        Files.write(in.resolve("truncated.png"), Arrays.copyOf(png, png.length / 2));
        Files.write(in.resolve("photo.webp"), "RIFF\0\0\0\0WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1));

        Run r = run("upscale", in.toString(), "-o", out.toString(), "--steps", "all", "--landmarks",
                "--model", Fixtures.path("dic_small_state_dict.pth").toString());

        assertEquals(ExitCodes.FAILED, r.exitCode(), r.err());
        assertTrue(r.err().contains("notes.txt: not an image"), r.err());
        assertTrue(r.err().contains("empty.png: empty file (0 bytes)"), r.err());
        assertTrue(r.err().contains("truncated.png: truncated PNG"), r.err());
        assertTrue(r.err().contains("photo.webp: unsupported image format WebP"), r.err());
        assertTrue(r.err().contains("big.jpg is 40x48, resized to 16x16"), r.err());
        assertTrue(r.err().contains("3 face(s) written"), r.err());
        assertTrue(r.err().contains("4 failed"), r.err());

        Set<String> expected = new TreeSet<>();
        for (String stem : List.of("face16", "big", "grey")) {
            expected.addAll(List.of(stem + ".png", stem + "_landmarks.json", stem + "_landmarks.png"));
            for (int t = 1; t <= 4; t++) {
                expected.add(stem + "_step" + t + ".png");
            }
        }
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(expected, files.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new)),
                    "one set of outputs per good input, nothing else (no temp or partial files)");
        }
        BufferedImage sr = ImageIO.read(out.resolve("face16.png").toFile());
        assertEquals(128, sr.getWidth());
        assertEquals(128, sr.getHeight());
        JsonNode points = new ObjectMapper().readTree(out.resolve("face16_landmarks.json").toFile()).get("points");
        assertEquals(68, points.size());
        for (JsonNode p : points) {
            assertTrue(p.get(0).asDouble() >= 0 && p.get(0).asDouble() < 128, p.toString());
            assertTrue(p.get(1).asDouble() >= 0 && p.get(1).asDouble() < 128, p.toString());
        }
    }

    @Test
    void withoutAModelTheBuiltInOneUpscalesTheExampleFaceWithAComparison() throws IOException {
        Path out = dir.resolve("out");
        Run r = run("upscale", "examples/astronaut_lr.png", "-o", out.toString(), "--compare");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("1 face(s) written"), r.err());
        BufferedImage sr = ImageIO.read(out.resolve("astronaut_lr.png").toFile());
        assertEquals(128, sr.getWidth());
        // the file the README shows and the library's consumer test compares its Criteria output with
        BufferedImage shipped = ImageIO.read(Path.of("examples/astronaut_sr.png").toFile());
        assertArrayEquals(shipped.getRGB(0, 0, 128, 128, null, 0, 128), sr.getRGB(0, 0, 128, 128, null, 0, 128));
        BufferedImage compare = ImageIO.read(out.resolve("astronaut_lr_compare.png").toFile());
        assertTrue(compare.getWidth() >= 2 * 128, "bicubic and DIC side by side: " + compare.getWidth());
        // --options describes the network of --model; alone it is an error, and nothing is written
        Run alone = run("upscale", "examples/astronaut_lr.png", "-o", dir.resolve("none").toString(),
                "--options", Fixtures.path("dic_small_config.json").toString());
        assertEquals(ExitCodes.USAGE, alone.exitCode());
        assertTrue(alone.err().contains("give --model too"), alone.err());
        assertTrue(Files.notExists(dir.resolve("none")));
    }

    @Test
    void theAuthorsOptionFileSetsTheConfigAndItsOtherSectionsAreReportedIgnored() throws IOException {
        Path face = dir.resolve("face.png");
        ImageIO.write(solid(16, 16, BufferedImage.TYPE_INT_RGB, 0x806040), "png", face.toFile());
        Run r = run("upscale", face.toString(), "-o", dir.resolve("out").toString(),
                "--model", Fixtures.path("dic_small.npz").toString(),
                "--options", Fixtures.path("dic_small_config.json").toString());
        // the fixture npz also holds inputs and outputs: strict loading names them
        assertEquals(ExitCodes.USAGE, r.exitCode(), r.err());
        assertTrue(r.err().contains("ignored (not about the network): constructor"), r.err());
        assertTrue(r.err().contains("unexpected (9): input, sr_0"), r.err());
        r = run("upscale", face.toString(), "-o", dir.resolve("out").toString(),
                "--model", Fixtures.path("dic_small_state_dict.pth").toString(),
                "--options", Fixtures.path("dic_small_config.json").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.isRegularFile(dir.resolve("out/face.png")));
    }

    @Test
    void aMissingInputIsNamed() {
        Run r = run("upscale", dir.resolve("nope.png").toString(), "-o", dir.resolve("out").toString(),
                "--model", Fixtures.path("dic_small_state_dict.pth").toString());
        assertEquals(ExitCodes.FAILED, r.exitCode());
        assertTrue(r.err().contains("nope.png: no such file or folder"), r.err());
    }
}
