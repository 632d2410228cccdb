package io.dic4j.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import io.dic4j.util.AtomicFiles;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Reading images as 8-bit RGB, the way the reference's {@code Image.open(f).convert('RGB')} sees them, and
 * writing PNGs atomically. Grey is replicated into R, G and B (Java2D's grey colour space would change the
 * values), alpha is dropped, 16-bit samples are scaled to 8 bits, CMYK JPEGs are read by TwelveMonkeys.
 *
 * <p>Images with more pixels than {@link #maxPixels()} are refused from their header, before any pixel is
 * decoded: a small file can declare more pixels than memory holds.
 */
public final class Images {

    /** Pillow's default {@code Image.MAX_IMAGE_PIXELS}: its decompression-bomb limit. */
    public static final long DEFAULT_MAX_PIXELS = 178_956_970L;

    /** Process-wide, as Pillow's limit is: every reader of images (datasets, the server) goes through here. */
    private static volatile long maxPixels = DEFAULT_MAX_PIXELS;

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};
    private static final byte[] PNG_END = {'I', 'E', 'N', 'D'};

    private Images() {}

    /** The most pixels (width × height) an image may have to be decoded. */
    public static long maxPixels() {
        return maxPixels;
    }

    /** Sets {@link #maxPixels()} for every later read in this process; {@link #DEFAULT_MAX_PIXELS} by default. */
    public static void setMaxPixels(long pixels) {
        if (pixels < 1) {
            throw new IllegalArgumentException("the pixel limit must be at least 1, got " + pixels);
        }
        maxPixels = pixels;
    }

    /** Reads an image file as RGB. Fails with the file and reason for empty, truncated or unreadable input. */
    public static BufferedImage readRgb(Path file) throws ImageReadException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ImageReadException(file.toString(), "cannot read the file (" + e.getMessage() + ")", e);
        }
        return readRgb(bytes, file.toString());
    }

    /** Reads an encoded image as RGB; {@code source} names it in errors (as the file does for files). */
    public static BufferedImage readRgb(byte[] bytes, String source) throws ImageReadException {
        if (bytes.length == 0) {
            throw new ImageReadException(source, "empty file (0 bytes)");
        }
        String format = sniff(bytes);
        if (format.equals("PNG") && indexOf(bytes, PNG_END) < 0) {
            throw new ImageReadException(source, "truncated PNG (no IEND chunk)");
        }
        if (format.equals("JPEG") && !endsWithJpegEnd(bytes)) {
            throw new ImageReadException(source, "truncated JPEG (no end-of-image marker)");
        }
        if (format.equals("BMP") && wrapsAnotherImage(bytes)) {
            throw new ImageReadException(source, "BMP holding a JPEG or PNG (compression 4 or 5), whose own size"
                    + " escapes the pixel limit; save it as PNG or JPEG");
        }
        BufferedImage image;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new UnsupportedImageException(source, format.equals("unknown")
                        ? "not an image (unrecognised content)"
                        : "unsupported image format " + format + " (dic4j reads PNG, JPEG, BMP, GIF, TIFF)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                checkSize(source, reader.getWidth(0), reader.getHeight(0));
                image = reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (ImageReadException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new ImageReadException(source, "corrupt " + format + " image (" + e.getMessage() + ")", e);
        }
        return toRgb(image);
    }

    private static void checkSize(String source, long width, long height) throws ImageReadException {
        long limit = maxPixels;
        if (width * height > limit) {
            throw new ImageTooLargeException(source, String.format(Locale.ROOT, "%dx%d is %,d pixels, over the limit of"
                    + " %,d (a decompression bomb? the limit is --max-pixels, Images.setMaxPixels)", width, height,
                    width * height, limit));
        }
    }

    /** What the first bytes say the file is, for messages. */
    static String sniff(byte[] b) {
        if (startsWith(b, PNG_MAGIC)) {
            return "PNG";
        }
        if (b.length > 2 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8) {
            return "JPEG";
        }
        String head = new String(b, 0, Math.min(b.length, 12), StandardCharsets.ISO_8859_1);
        if (head.startsWith("GIF8")) {
            return "GIF";
        }
        if (head.startsWith("BM")) {
            return "BMP";
        }
        if (head.startsWith("II*") || head.startsWith("MM\0*")) {
            return "TIFF";
        }
        if (head.startsWith("RIFF") && head.endsWith("WEBP")) {
            return "WebP";
        }
        if (head.length() >= 12 && head.substring(4, 12).matches("ftyp(heic|heix|avif|mif1)")) {
            return "HEIF/AVIF";
        }
        return "unknown";
    }

    /** An 8-bit RGB copy of any decoded image (see the class comment for grey, alpha and 16-bit). */
    public static BufferedImage toRgb(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Raster r = image.getRaster();
        int bands = r.getNumBands();
        boolean grey = image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY;
        if (grey && image.getColorModel().getPixelSize() / bands >= 8) {
            int bits = image.getColorModel().getComponentSize(0);
            double max = (1 << bits) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int v = (int) Math.round(r.getSample(x, y, 0) * 255.0 / max);
                    out.setRGB(x, y, (v << 16) | (v << 8) | v);
                }
            }
            return out;
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                out.setRGB(x, y, image.getRGB(x, y) & 0xffffff);
            }
        }
        return out;
    }

    /**
     * The {@code width × height} window of an RGB image whose top-left pixel is {@code (x, y)}; the window may reach
     * outside the image, whose outside is black (as the reference pads its face crops).
     */
    public static BufferedImage crop(BufferedImage image, int x, int y, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int x0 = Math.max(x, 0);
        int y0 = Math.max(y, 0);
        int x1 = Math.min(x + width, image.getWidth());
        int y1 = Math.min(y + height, image.getHeight());
        int w = x1 - x0;
        if (w <= 0) {
            return out;
        }
        int[] row = new int[w];
        for (int r = y0; r < y1; r++) {
            image.getRGB(x0, r, w, 1, row, 0, w);
            out.setRGB(x0 - x, r - y, w, 1, row, 0, w);
        }
        return out;
    }

    /** Writes a PNG so that the target never holds a partial file. */
    public static void writePng(BufferedImage image, Path file) throws IOException {
        AtomicFiles.write(file, out -> writePng(image, out));
    }

    /** The PNG file {@link #writePng(BufferedImage, Path)} writes, as bytes (for a response or a table cell). */
    public static byte[] encodePng(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writePng(image, out);
        return out.toByteArray();
    }

    private static void writePng(BufferedImage image, OutputStream out) throws IOException {
        if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG writer available");
        }
    }

    /**
     * Whether a BMP's pixels are a whole JPEG or PNG (compression BI_JPEG or BI_PNG in a BITMAPINFOHEADER or later):
     * the JDK's reader decodes that inner image at whatever size it declares, not the BMP header's, so a 60-byte file
     * could take all the heap.
     */
    private static boolean wrapsAnotherImage(byte[] b) {
        if (b.length < 34) {
            return false;
        }
        ByteBuffer header = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int compression = header.getInt(30);
        return header.getInt(14) >= 40 && (compression == 4 || compression == 5);
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        return b.length >= prefix.length && Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static boolean endsWithJpegEnd(byte[] b) {
        int i = b.length - 1;
        while (i > 0 && b[i] == 0) {
            i--; // some writers pad after the marker
        }
        return i > 0 && (b[i - 1] & 0xff) == 0xff && (b[i] & 0xff) == 0xd9;
    }

    private static int indexOf(byte[] b, byte[] what) {
        outer:
        for (int i = b.length - what.length; i >= 0; i--) {
            for (int j = 0; j < what.length; j++) {
                if (b[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
