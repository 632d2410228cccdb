package io.dic4j.util;

import java.io.IOException;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writing files so that a reader (or a crash) never sees a partial one: temp file beside it, then rename. The file
 * gets the mode any other write would give it under the process's umask.
 *
 * <p>A process killed with {@code kill -9} while it writes cannot delete its temp file. The temp's name carries the
 * writer's process id ({@code .<name>.<pid>.<random>.tmp}), so the first write of a later process into that folder
 * removes the temp files of writers that are gone.
 */
public final class AtomicFiles {

    /** What writes the content. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    /** {@code .<name>.<pid>.<16 hex digits>.tmp}: the name {@link #createTemp} gives. */
    private static final Pattern TEMP = Pattern.compile("\\..+\\.(\\d+)\\.[0-9a-f]{16}\\.tmp");

    /**
     * How long a dead writer's temp file is left alone. The process id is this machine's view: on a shared or
     * network folder the writer may be alive elsewhere, and then its temp file is still being written to.
     */
    private static final Duration STALE = Duration.ofSeconds(10);

    private static final long PID = ProcessHandle.current().pid();

    /** The folders this process has swept. */
    private static final Set<Path> SWEPT = ConcurrentHashMap.newKeySet();

    private AtomicFiles() {}

    public static void write(Path file, Writer writer) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        if (SWEPT.add(dir)) {
            removeTempsOfDeadWriters(dir);
        }
        Path tmp = createTemp(dir, file.getFileName().toString());
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
                    OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16)) {
                // writers that close their stream (Jackson does) must not close the channel before force()
                writer.write(new FilterOutputStream(out) {
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        out.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        flush();
                    }
                });
                out.flush();
                // on disk before the rename, so a crash leaves the old file or the whole new one
                channel.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Deletes the temp files in {@code dir} whose writer is no longer running here and that have not been written to
     * for a while. Best effort: a temp that another process removes first, or that this user may not delete, is left
     * to others, and the write goes on.
     */
    static void removeTempsOfDeadWriters(Path dir) throws IOException {
        Instant staleBefore = Instant.now().minus(STALE);
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(dir, ".*.tmp")) {
            for (Path tmp : temps) {
                Matcher m = TEMP.matcher(tmp.getFileName().toString());
                if (!m.matches() || isRunning(m.group(1))) {
                    continue;
                }
                try {
                    if (Files.getLastModifiedTime(tmp).toInstant().isBefore(staleBefore)) {
                        Files.deleteIfExists(tmp);
                    }
                } catch (IOException e) {
                    // gone already, or not ours to delete: not this write's concern
                }
            }
        }
    }

    private static boolean isRunning(String pid) {
        try {
            return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true; // not a process id of ours: leave the file alone
        }
    }

    /**
     * A new empty file beside the target, with the default mode. Not {@code Files.createTempFile}: its 0600 would
     * survive the rename and hide the file from other users.
     */
    private static Path createTemp(Path dir, String name) throws IOException {
        while (true) {
            Path tmp = dir.resolve("." + name + "." + PID + "." + HexFormat.of().toHexDigits(ThreadLocalRandom
                    .current().nextLong()) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException e) {
                // another writer's temp file: draw another name
            }
        }
    }
}
