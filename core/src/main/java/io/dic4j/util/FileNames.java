package io.dic4j.util;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** File-name conventions shared by the readers and the commands. */
public final class FileNames {

    /** Suffixes the image readers decode (lower case; matched case-insensitively). */
    public static final List<String> IMAGE_SUFFIXES =
            List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".ppm");

    private FileNames() {}

    /** The file name without its last extension ({@code a.b.jpg → a.b}). */
    public static String stem(Path file) {
        return stem(file.getFileName().toString());
    }

    public static String stem(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /** Whether the name ends with an image suffix and is not hidden. */
    public static boolean isImage(Path file) {
        String name = file.getFileName().toString();
        String lower = name.toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && IMAGE_SUFFIXES.stream().anyMatch(lower::endsWith);
    }
}
