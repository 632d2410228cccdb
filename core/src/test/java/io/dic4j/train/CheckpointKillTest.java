package io.dic4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dic4j.weights.Tensor;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 while a checkpoint is being written leaves the previous one whole. */
class CheckpointKillTest {

    @TempDir
    Path dir;

    @Test
    void killDuringAWriteLeavesALoadableCheckpoint() throws Exception {
        Path file = dir.resolve("last.safetensors");
        Random random = new Random(3);
        for (int round = 0; round < 3; round++) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), CheckpointWriterMain.class.getName(),
                    file.toString()).redirectErrorStream(true).start();
            int saved = 0;
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("saved ")) {
                        saved = Integer.parseInt(line.substring(6).trim());
                        if (saved >= 2) {
                            break;
                        }
                    }
                }
                assertTrue(saved >= 2, "the writer saved twice before the kill");
                // a write of ~90 MB takes a few hundred ms: kill somewhere inside the next one
                Thread.sleep(random.nextInt(300));
                child.destroyForcibly(); // SIGKILL
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            }
            Checkpoint c = Checkpoint.read(file);
            long step = c.state().step();
            assertTrue(step >= saved, "step " + step + " after " + saved + " saves");
            // every tensor belongs to the same write as the state
            for (Tensor t : c.weights().tensors().values()) {
                for (float v : t.values()) {
                    assertEquals(step, v, 0.0);
                }
            }
            System.out.printf("kill -9 round %d: killed after %d saves; the checkpoint reads whole at step %d%n",
                    round, saved, step);
        }
    }
}
