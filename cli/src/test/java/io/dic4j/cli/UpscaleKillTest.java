package io.dic4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} in the middle of a folder leaves whole outputs only: each PNG there reads as a 128×128 image. What
 * the kill interrupted is at most a hidden temp file ({@code .<output>.<random>.tmp}), never a file under an
 * output's name.
 */
class UpscaleKillTest {

    @TempDir
    Path dir;

    @Test
    void killDuringAFolderLeavesOnlyWholeOutputs() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        for (int i = 0; i < 400; i++) {
            ImageIO.write(UpscaleCommandTest.solid(16, 16, BufferedImage.TYPE_INT_RGB, 0x806040 + i),
                    "png", in.resolve(String.format("face_%03d.png", i)).toFile());
        }
        Path out = dir.resolve("out");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.pytorch.num_interop_threads=1", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "upscale", in.toString(), "-o", out.toString(), "--model",
                UpscaleCommandTest.SMALL_MODEL, "--steps", "all", "--batch", "1", "--quiet")
                .redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile()).start();
        try {
            // kill once writing is well under way, somewhere inside the stream of writes
            while (p.isAlive() && outputs(out).size() < 20) {
                Thread.sleep(20);
            }
        } finally {
            p.destroyForcibly(); // SIGKILL
            assertTrue(p.waitFor(1, TimeUnit.MINUTES));
        }
        List<Path> written = outputs(out);
        assertTrue(written.size() >= 20 && written.size() < 5 * 400, "killed mid-folder: " + written.size()
                + " outputs; " + Files.readString(dir.resolve("log")));
        try (Stream<Path> s = Files.list(out)) {
            List<String> hidden = s.map(f -> f.getFileName().toString()).filter(f -> f.startsWith(".")).toList();
            assertTrue(hidden.stream().allMatch(f -> f.matches("\\.face_\\d{3}(_step\\d)?\\.png\\.[0-9a-f]{16}\\.tmp")),
                    hidden.toString());
            System.out.printf("kill -9 after %d outputs: %d temp file(s) left%n", written.size(), hidden.size());
        }
        for (Path png : written) {
            BufferedImage image = ImageIO.read(png.toFile());
            assertNotNull(image, png + " is not a whole PNG");
            assertEquals(128, image.getWidth(), png.toString());
            assertEquals(128, image.getHeight(), png.toString());
        }
    }

    /** The visible files of the output folder (temp files are hidden, named .<output>.<random>.tmp). */
    private static List<Path> outputs(Path out) throws Exception {
        if (!Files.isDirectory(out)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(f -> !f.getFileName().toString().startsWith(".")).toList();
        }
    }
}
