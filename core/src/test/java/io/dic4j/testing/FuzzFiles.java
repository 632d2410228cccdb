package io.dic4j.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The fuzz tests' files: each input is written where a reader expects a file from outside, and the reader's
 * documented exception must name it. Anything else a reader throws (or an error) is a finding.
 */
public final class FuzzFiles implements AutoCloseable {

    /**
     * How long each target fuzzes under {@code JAZZER_FUZZ=1} (Jazzer takes it only from the annotation; a longer
     * campaign changes it here). Without {@code JAZZER_FUZZ} the targets replay their seeds and findings only.
     */
    public static final String MAX_DURATION = "60s";

    private final Path dir;

    public FuzzFiles() {
        try {
            dir = Files.createTempDirectory("dic4j-fuzz");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path dir() {
        return dir;
    }

    /** Writes the input as {@code name} in the fuzz folder (replacing the last input). */
    public Path write(String name, byte[] input) {
        try {
            return Files.write(dir.resolve(name), input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Passes when the reader's exception names {@code file}; otherwise fails with the exception as cause. */
    public static void requireNamed(Exception e, Path file) {
        if (e.getMessage() == null || !e.getMessage().contains(file.toString())) {
            throw new AssertionError("the error does not name " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
