package io.dic4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} in the middle of a folder, in {@code upscale} and in {@code test}, leaves whole outputs only: each
 * PNG there reads as a 128×128 image. What the kill interrupted is at most a hidden temp file of the killed process
 * ({@code .<output>.<pid>.<random>.tmp}), never a file under an output's name; the next write into the folder
 * removes it ({@code AtomicFilesTest}).
 */
class KillMidFolderTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"upscale", "test"})
    void killDuringAFolderLeavesOnlyWholeOutputs(String command) throws Exception {
        // upscale reads 16×16 faces and writes each step; test reads 128×128 faces and writes the last step's SR
        boolean upscale = command.equals("upscale");
        int size = upscale ? 16 : 128;
        Path in = Files.createDirectories(dir.resolve("in"));
        for (int i = 0; i < 400; i++) {
            ImageIO.write(UpscaleCommandTest.solid(size, size, BufferedImage.TYPE_INT_RGB, 0x806040 + i),
                    "png", in.resolve(String.format("face_%03d.png", i)).toFile());
        }
        Path out = dir.resolve("out");
        List<String> args = upscale
                ? List.of("upscale", in.toString(), "-o", out.toString(), "--steps", "all")
                : List.of("test", "--hr", in.toString(), "-o", dir.resolve("res").toString(), "--workers", "1");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.pytorch.num_interop_threads=1", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(args);
        cmd.addAll(List.of("--model", UpscaleCommandTest.SMALL_MODEL, "--batch", "1", "--quiet"));
        if (!upscale) {
            out = dir.resolve("res").resolve("sr");
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log").toFile())
                .start();
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
        assertTrue(written.size() >= 20 && written.size() < (upscale ? 5 : 1) * 400, "killed mid-folder: " + written.size()
                + " outputs; " + Files.readString(dir.resolve("log")));
        try (Stream<Path> s = Files.list(out)) {
            List<String> hidden = s.map(f -> f.getFileName().toString()).filter(f -> f.startsWith(".")).toList();
            String killed = "\\." + p.pid() + "\\.[0-9a-f]{16}\\.tmp";
            assertTrue(hidden.stream().allMatch(f -> f.matches("\\.face_\\d{3}(_step\\d)?\\.png" + killed)),
                    hidden.toString());
            System.out.printf(command + ": kill -9 after %d outputs: %d temp file(s) left%n", written.size(), hidden.size());
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
