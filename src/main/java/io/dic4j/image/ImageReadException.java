package io.dic4j.image;

import java.io.IOException;
import java.nio.file.Path;

/** An input that could not be read as an image; the message names the file and the reason. */
public class ImageReadException extends IOException {
    private static final long serialVersionUID = 1L;

    public ImageReadException(Path file, String reason) {
        super(file + ": " + reason);
    }

    public ImageReadException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
    }
}
