package io.dic4j.serve;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The file of a {@code multipart/form-data} body (RFC 7578), as HTML forms and {@code curl -F} send it, parsed from
 * the bytes already read: the server reads every body itself under its size limit, so no part reaches a temporary
 * file.
 */
final class MultipartBody {

    private static final Pattern BOUNDARY = Pattern.compile("(?i)boundary=(?:\"([^\"]+)\"|([^;\\s]+))");
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEADERS_END = {'\r', '\n', '\r', '\n'};

    private MultipartBody() {}

    /** Whether a Content-Type names a multipart form. */
    static boolean isMultipart(String contentType) {
        return contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
    }

    /**
     * The content of the first part that carries a file (a {@code filename} in its Content-Disposition), else of the
     * first part.
     *
     * @throws IllegalArgumentException naming what is wrong with the form
     */
    static byte[] firstFile(byte[] body, String contentType) {
        Matcher m = BOUNDARY.matcher(contentType);
        if (!m.find()) {
            throw new IllegalArgumentException("multipart/form-data without a boundary");
        }
        byte[] delimiter = ("--" + (m.group(1) != null ? m.group(1) : m.group(2)))
                .getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(body, delimiter, 0);
        byte[] first = null;
        while (at >= 0) {
            int headersStart = at + delimiter.length;
            if (startsWith(body, headersStart, new byte[] {'-', '-'})) {
                break;
            }
            headersStart += CRLF.length;
            int headersEnd = indexOf(body, HEADERS_END, headersStart);
            if (headersEnd < 0) {
                throw new IllegalArgumentException("a multipart part without the blank line ending its headers");
            }
            int contentStart = headersEnd + HEADERS_END.length;
            int next = indexOf(body, concat(CRLF, delimiter), contentStart);
            if (next < 0) {
                throw new IllegalArgumentException("truncated multipart body (no closing boundary)");
            }
            byte[] content = Arrays.copyOfRange(body, contentStart, next);
            String headers = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
            if (headers.toLowerCase(Locale.ROOT).contains("filename=")) {
                return content;
            }
            if (first == null) {
                first = content;
            }
            at = next + CRLF.length;
        }
        if (first == null) {
            throw new IllegalArgumentException("a multipart form without parts: send the image as a file field");
        }
        return first;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static boolean startsWith(byte[] body, int from, byte[] prefix) {
        return from + prefix.length <= body.length
                && Arrays.equals(body, from, from + prefix.length, prefix, 0, prefix.length);
    }

    private static int indexOf(byte[] body, byte[] target, int from) {
        for (int i = Math.max(from, 0); i + target.length <= body.length; i++) {
            if (startsWith(body, i, target)) {
                return i;
            }
        }
        return -1;
    }
}
