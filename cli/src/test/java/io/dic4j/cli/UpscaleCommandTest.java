package io.dic4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dic4j.image.Images;
import io.dic4j.testing.Fixtures;
import io.dic4j.testing.Pngs;
import io.dic4j.testing.SampleDifferences;
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

    static final String SMALL_MODEL = Fixtures.path("dic_small_state_dict.pth").toString();

    @TempDir
    Path dir;

    /** A command's exit code, stdout and stderr. */
    record Run(int exitCode, String out, String err) {

        /** Stdout as the one JSON object that --json prints. */
        JsonNode json() throws IOException {
            assertEquals(1, out.lines().count(), "one JSON line on stdout: " + out);
            return new ObjectMapper().readTree(out);
        }

        /** The JSON of a run of {@code command} that wrote all of its {@code inputs}, checked as such. */
        JsonNode jsonOfSuccess(String command, int inputs) throws IOException {
            assertEquals(0, exitCode, err);
            JsonNode j = json();
            assertEquals(command, j.get("command").asText());
            assertEquals(0, j.get("exit_code").asInt());
            assertEquals(inputs, j.get("inputs").asInt());
            assertEquals(inputs, j.get("written").asInt());
            assertEquals(0, j.get("failed").size());
            assertTrue(j.get("seconds").asDouble() > 0, j.toString());
            assertEquals(inputs / j.get("seconds").asDouble(), j.get("faces_per_second").asDouble(), 1e-9);
            return j;
        }
    }

    /** Runs dic4j in this JVM as Main runs it; progress shows as lines, since tests have no console. */
    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
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
        // no console: progress is a plain line per tenth, never a carriage-return frame
        assertTrue(r.err().contains("upscale: 7/7 faces (100%), "), r.err());
        assertFalse(r.err().contains("\r"), r.err());

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
    void bf16UpscalesTheExampleWithinTwoGreyLevelsAndAnUnknownPrecisionIsNamed() throws IOException {
        Path out = dir.resolve("bf16");
        Run r = run("upscale", "examples/astronaut_lr.png", "-o", out.toString(), "--precision", "bf16");
        assertEquals(0, r.exitCode(), r.err());
        int maxDiff = SampleDifferences.of(ImageIO.read(out.resolve("astronaut_lr.png").toFile()),
                ImageIO.read(Path.of("examples/astronaut_sr.png").toFile())).max();
        // measured: 2 (BuiltInModelTest bounds the share of samples)
        assertTrue(maxDiff > 0 && maxDiff <= 3, "bf16 against the fp32 example: up to " + maxDiff + " levels");
        Run wrong = run("upscale", "examples/astronaut_lr.png", "-o", dir.resolve("none").toString(),
                "--precision", "fp16");
        assertEquals(ExitCodes.USAGE, wrong.exitCode());
        assertTrue(wrong.err().contains("unknown precision 'fp16', expected one of fp32, bf16"), wrong.err());
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
    void quietDrawsNoProgress() throws IOException {
        Path face = dir.resolve("face.png");
        ImageIO.write(solid(16, 16, BufferedImage.TYPE_INT_RGB, 0x806040), "png", face.toFile());
        Run r = run("upscale", face.toString(), "-o", dir.resolve("out").toString(), "--model", SMALL_MODEL, "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(r.err().contains("faces ("), "no progress line: " + r.err());
        assertTrue(r.err().contains("1 face(s) written"), r.err());
    }

    @Test
    void inputsWithoutImagesAreFailuresThatNameThem() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Path folderNamedPng = Files.createDirectories(dir.resolve("x.png"));
        Path onlyHidden = Files.createDirectories(dir.resolve("hidden"));
        Files.writeString(onlyHidden.resolve(".DS_Store"), "");
        Path unmatchedGlob = dir.resolve("*.png"); // what the shell passes when a glob matches nothing
        for (Path in : List.of(empty, folderNamedPng, onlyHidden, unmatchedGlob)) {
            Run r = run("upscale", in.toString(), "-o", dir.resolve("out").toString(), "--model", SMALL_MODEL,
                    "--json");
            assertEquals(ExitCodes.FAILED, r.exitCode(), r.err());
            String reason = in == unmatchedGlob ? "no such file or folder" : "the folder holds no images";
            assertTrue(r.err().contains("error: " + in + ": " + reason), r.err());
            JsonNode j = r.json();
            assertEquals(0, j.get("written").asInt());
            assertEquals(in.toString(), j.get("failed").get(0).get("input").asText());
            assertFalse(r.err().contains("faces ("), "no 0/0 progress bar: " + r.err());
        }
    }

    @Test
    void anImageOverThePixelLimitIsRefusedFromItsHeaderNamingItsSize() throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        Files.write(in.resolve("bomb.png"), Pngs.black(20000, 20000));
        ImageIO.write(solid(16, 16, BufferedImage.TYPE_INT_RGB, 0x806040), "png", in.resolve("face.png").toFile());

        Run r = run("upscale", in.toString(), "-o", dir.resolve("out").toString(), "--model", SMALL_MODEL);
        assertEquals(ExitCodes.FAILED, r.exitCode(), r.err());
        assertTrue(r.err().contains("error: " + in.resolve("bomb.png") + ": 20000x20000 is 400,000,000 pixels, over"
                + " the limit of 178,956,970"), r.err());
        assertTrue(r.err().contains("1 face(s) written"), r.err());

        try {
            Run lowered = run("upscale", in.resolve("face.png").toString(), "-o", dir.resolve("out2").toString(),
                    "--model", SMALL_MODEL, "--max-pixels", "255");
            assertEquals(ExitCodes.FAILED, lowered.exitCode(), lowered.err());
            assertTrue(lowered.err().contains("face.png: 16x16 is 256 pixels, over the limit of 255"), lowered.err());
        } finally {
            // the limit is process-wide, and commands without --max-pixels (train, landmarks) do not reset it
            Images.setMaxPixels(Images.DEFAULT_MAX_PIXELS);
        }

        Run bad = run("upscale", in.toString(), "-o", dir.resolve("out3").toString(), "--max-pixels", "0");
        assertEquals(ExitCodes.USAGE, bad.exitCode(), bad.err());
        assertTrue(bad.err().contains("--max-pixels must be at least 1, got 0"), bad.err());
    }

    @Test
    void jsonSummarisesASuccessfulRunOnStdoutInsteadOfTheProse() throws IOException {
        Path out = dir.resolve("out");
        Run r = run("upscale", "examples/astronaut_lr.png", "-o", out.toString(), "--json");
        JsonNode j = r.jsonOfSuccess("upscale", 1);
        assertEquals(out.toString(), j.get("output").asText());
        double load = j.get("load_seconds").asDouble();
        assertTrue(load > 0 && load < j.get("seconds").asDouble(), j.toString());
        // "seconds" is read a moment later, when the summary is printed
        double afterLoad = 1 / (j.get("seconds").asDouble() - load);
        assertEquals(afterLoad, j.get("faces_per_second_after_load").asDouble(), 0.01 * afterLoad);
        assertFalse(r.err().contains("face(s) written"), "no prose summary with --json: " + r.err());
    }

    @Test
    void jsonNamesEachFailedInputWithItsReasonAndExitsOne() throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        for (String name : List.of("a.png", "b.png")) {
            ImageIO.write(solid(16, 16, BufferedImage.TYPE_INT_RGB, 0x806040), "png", in.resolve(name).toFile());
        }
        byte[] png = Files.readAllBytes(in.resolve("a.png"));
        Files.write(in.resolve("broken.png"), Arrays.copyOf(png, png.length / 2));

        Run partly = run("upscale", in.toString(), "-o", dir.resolve("out").toString(), "--model", SMALL_MODEL,
                "--json");
        assertEquals(ExitCodes.FAILED, partly.exitCode(), partly.err());
        JsonNode j = partly.json();
        assertEquals(ExitCodes.FAILED, j.get("exit_code").asInt());
        assertEquals(3, j.get("inputs").asInt());
        assertEquals(2, j.get("written").asInt());
        assertEquals(1, j.get("failed").size());
        assertEquals(in.resolve("broken.png").toString(), j.get("failed").get(0).get("input").asText());
        assertTrue(j.get("failed").get(0).get("reason").asText().startsWith("truncated PNG"), j.toString());
        assertTrue(partly.err().contains("error: " + in.resolve("broken.png") + ": truncated PNG"), partly.err());

        Run none = run("upscale", in.resolve("broken.png").toString(), dir.resolve("nope.png").toString(), "-o",
                dir.resolve("out2").toString(), "--model", SMALL_MODEL, "--json");
        assertEquals(ExitCodes.FAILED, none.exitCode(), none.err());
        j = none.json();
        assertEquals(2, j.get("inputs").asInt());
        assertEquals(0, j.get("written").asInt());
        assertEquals(0, j.get("faces_per_second").asDouble());
        assertEquals(List.of("no such file or folder", "truncated PNG"), List.of(
                j.get("failed").get(0).get("reason").asText(),
                j.get("failed").get(1).get("reason").asText().substring(0, "truncated PNG".length())));
    }

    @Test
    void jsonUsageErrorsAreErrorObjectsWithExitCodeTwo() throws IOException {
        String out = dir.resolve("out").toString();
        for (List<String> args : List.of(
                List.of("upscale", "examples/astronaut_lr.png", "-o", out, "--batch", "0", "--json"),
                List.of("upscale", "examples/astronaut_lr.png", "--json"),
                List.of("upscale", "examples/astronaut_lr.png", "-o", out, "--no-such-option", "--json"))) {
            Run r = run(args.toArray(String[]::new));
            assertEquals(ExitCodes.USAGE, r.exitCode(), r.err());
            JsonNode j = r.json();
            assertEquals("upscale", j.get("command").asText());
            assertEquals(ExitCodes.USAGE, j.get("exit_code").asInt());
            assertTrue(r.err().contains(j.get("error").asText()), "the error on stderr too: " + r.err());
        }
        assertTrue(Files.notExists(dir.resolve("out")), "nothing was done");
    }

    @Test
    void aMissingInputIsNamed() {
        Run r = run("upscale", dir.resolve("nope.png").toString(), "-o", dir.resolve("out").toString(),
                "--model", Fixtures.path("dic_small_state_dict.pth").toString());
        assertEquals(ExitCodes.FAILED, r.exitCode());
        assertTrue(r.err().contains("nope.png: no such file or folder"), r.err());
    }
}
