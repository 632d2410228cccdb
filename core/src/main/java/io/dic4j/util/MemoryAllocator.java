package io.dic4j.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Which malloc serves libtorch in this process. With glibc's, a CPU training step spends about half its time
 * faulting in pages that were just given back to the kernel; the {@code dic4j} launcher preloads tcmalloc when it
 * is installed.
 */
public final class MemoryAllocator {

    private static final List<String> REPLACEMENTS = List.of("tcmalloc", "jemalloc", "mimalloc");

    private MemoryAllocator() {}

    /** "tcmalloc", "jemalloc", "mimalloc", or "glibc" (also where the process map cannot be read). */
    public static String name() {
        try {
            String maps = Files.readString(Path.of("/proc/self/maps")).toLowerCase(Locale.ROOT);
            return REPLACEMENTS.stream().filter(maps::contains).findFirst().orElse("glibc");
        } catch (IOException | SecurityException e) {
            return "glibc";
        }
    }

    /** A warning for long CPU work under glibc's malloc, or null when a faster allocator is loaded. */
    public static String slowAllocatorWarning() {
        if (!name().equals("glibc") || !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
            return null;
        }
        return "glibc malloc: CPU training runs 4-5x slower than with tcmalloc; install it (Debian/Ubuntu:"
                + " apt install libtcmalloc-minimal4) and the dic4j launcher preloads it";
    }
}
