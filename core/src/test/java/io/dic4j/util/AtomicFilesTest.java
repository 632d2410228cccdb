package io.dic4j.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dic4j.weights.StateDict;
import io.dic4j.weights.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void theFileGetsTheModeOfAPlainWriteUnderTheUmask() throws IOException {
        Path atomic = dir.resolve("atomic.png");
        AtomicFiles.write(atomic, out -> out.write(1));
        Path plain = dir.resolve("plain.png");
        try (OutputStream out = Files.newOutputStream(plain)) {
            out.write(1);
        }
        String want = PosixFilePermissions.toString(Files.getPosixFilePermissions(plain));
        // under the usual umask 022 a plain write gives rw-r--r--; the temp file's 0600 must not survive the rename
        assertEquals(want, PosixFilePermissions.toString(Files.getPosixFilePermissions(atomic)));
        assertEquals(List.of("atomic.png", "plain.png"), names());
    }

    @Test
    void aWriteThatFailsMidwayLeavesThePreviousCheckpointWholeAndNoTempFile() throws IOException {
        Path file = dir.resolve("last.safetensors");
        StateDict before = new StateDict(Map.of("w", new Tensor(new long[] {2, 2}, new float[] {1, 2, 3, 4})),
                Map.of(StateDict.CHECKPOINT_METADATA, "{\"step\":4}"), "test");
        before.writeSafetensors(file);
        byte[] whole = Files.readAllBytes(file);

        // the disk fills after half of the next checkpoint
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write(whole, 0, whole.length / 2);
            throw new IOException("No space left on device");
        }));
        assertEquals("No space left on device", e.getMessage());

        assertArrayEquals(whole, Files.readAllBytes(file));
        StateDict after = StateDict.readWithOptimizer(file);
        assertArrayEquals(new float[] {1, 2, 3, 4}, after.tensors().get("w").values());
        assertEquals("{\"step\":4}", after.metadata().get(StateDict.CHECKPOINT_METADATA));
        assertEquals(List.of("last.safetensors"), names(), "no temp file left behind");
    }

    @Test
    void theTempFilesOfKilledWritersAreRemovedByTheNextWriterInTheFolder() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        long dead = gone.pid();
        long alive = ProcessHandle.current().pid();
        FileTime minuteAgo = FileTime.from(Instant.now().minusSeconds(60));
        Path killed = touch(".face_001.png." + dead + ".0123456789abcdef.tmp", minuteAgo);
        touch(".face_002.png." + dead + ".0123456789abcdef.tmp", null); // maybe a live writer on another machine
        touch(".face_003.png." + alive + ".0123456789abcdef.tmp", minuteAgo); // this process's own
        touch(".notes.tmp", minuteAgo); // not ours
        assertTrue(Files.exists(killed));

        AtomicFiles.removeTempsOfDeadWriters(dir);
        assertEquals(List.of(".face_002.png." + dead + ".0123456789abcdef.tmp",
                ".face_003.png." + alive + ".0123456789abcdef.tmp", ".notes.tmp"), names());
    }

    private Path touch(String name, FileTime modified) throws IOException {
        Path file = Files.createFile(dir.resolve(name));
        if (modified != null) {
            Files.setLastModifiedTime(file, modified);
        }
        return file;
    }

    @Test
    void aWriterThatClosesItsStreamStillGetsItsBytesOnDisk() throws IOException {
        Path file = dir.resolve("a.json");
        AtomicFiles.write(file, out -> {
            out.write("{}".getBytes(StandardCharsets.UTF_8));
            out.close(); // as Jackson does
        });
        assertEquals("{}", Files.readString(file));
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
