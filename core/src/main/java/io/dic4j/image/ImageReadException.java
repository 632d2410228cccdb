package io.dic4j.image;

import java.io.IOException;
import java.nio.file.Path;

/** An input that could not be read as an image; the message names the input (a file, a request) and the reason. */
public class ImageReadException extends IOException {
    private static final long serialVersionUID = 1L;

    public ImageReadException(Path file, String reason) {
        this(file.toString(), reason);
    }

    public ImageReadException(String source, String reason) {
        super(source + ": " + reason);
    }

    public ImageReadException(String source, String reason, Throwable cause) {
        super(source + ": " + reason, cause);
    }
}
