package io.dic4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * dic4j as a user first runs it, {@code ./dic4j upscale examples/astronaut_lr.png -o out/ --compare > log 2>&1}:
 * a JVM of its own (libtorch prints its warnings to the process's stderr, which no test writer captures) with stdout
 * and stderr in one file. The log holds two readable lines: no native warning, no progress frames.
 */
class CleanOutputTest {

    @TempDir
    Path dir;

    @Test
    void upscalingTheExampleLogsTwoReadableLines() throws Exception {
        Path log = dir.resolve("log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.pytorch.num_interop_threads=1", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "upscale", "examples/astronaut_lr.png", "-o", dir.resolve("out").toString(),
                "--compare")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(p.waitFor(10, TimeUnit.MINUTES), "dic4j did not end");
        String text = Files.readString(log);
        assertEquals(0, p.exitValue(), text);
        assertEquals(-1, text.indexOf('\r'), "carriage-return frames in: " + text);
        List<String> lines = text.lines().toList();
        assertEquals(2, lines.size(), "libtorch's warnings (AutoNonVariableTypeMode, NNPACK) or more in: " + text);
        assertTrue(lines.get(0).startsWith("upscale: 1/1 faces (100%), "), text);
        assertTrue(lines.get(1).startsWith("upscale: 1 face(s) written to " + dir.resolve("out")), text);
    }
}
