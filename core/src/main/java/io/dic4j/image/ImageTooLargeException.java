package io.dic4j.image;

/** An image whose header declares more pixels than {@link Images#maxPixels()}: refused before decoding. */
public final class ImageTooLargeException extends ImageReadException {
    private static final long serialVersionUID = 1L;

    public ImageTooLargeException(String source, String reason) {
        super(source, reason);
    }
}
