package io.dic4j.data;

import java.io.IOException;
import java.nio.file.Path;

/** An annotation file that cannot be used, with where and why: {@code file:line: reason}. */
public final class AnnotationException extends IOException {
    private static final long serialVersionUID = 1L;

    public AnnotationException(Path file, int line, String reason) {
        super(file + (line > 0 ? ":" + line : "") + ": " + reason);
    }

    public AnnotationException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
    }
}
