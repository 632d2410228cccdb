package io.dic4j.image;

import java.io.IOException;
import java.nio.file.Path;

/** An input that could not be read as an image; the message names the input (a file, a request) and the reason. */
public class ImageReadException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    public ImageReadException(Path file, String reason) {
        this(file.toString(), reason);
    }

    public ImageReadException(String source, String reason) {
        super(source + ": " + reason);
        this.reason = reason;
    }

    public ImageReadException(String source, String reason, Throwable cause) {
        super(source + ": " + reason, cause);
        this.reason = reason;
    }

    /** Why the input is not a readable image, without its name (for reports that name it apart). */
    public String reason() {
        return reason;
    }
}
