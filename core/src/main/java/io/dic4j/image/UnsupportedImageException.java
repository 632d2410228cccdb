package io.dic4j.image;

/** Content that is no image dic4j reads: unrecognised bytes, or a format without a reader (WebP, HEIF). */
public final class UnsupportedImageException extends ImageReadException {
    private static final long serialVersionUID = 1L;

    public UnsupportedImageException(String source, String reason) {
        super(source, reason);
    }
}
