package io.dic4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.util.Arrays;

/**
 * How the RGB samples of two images of one size differ: how many differ by each number of grey levels.
 *
 * @param counts {@code counts[d]}: the samples that differ by {@code d} levels, 0 to 255
 */
public record SampleDifferences(long[] counts) {

    /** Compares {@code actual} with {@code expected}, sample by sample; they must have the same size. */
    public static SampleDifferences of(BufferedImage actual, BufferedImage expected) {
        assertEquals(expected.getWidth(), actual.getWidth(), "width");
        assertEquals(expected.getHeight(), actual.getHeight(), "height");
        long[] counts = new long[256];
        for (int y = 0; y < expected.getHeight(); y++) {
            for (int x = 0; x < expected.getWidth(); x++) {
                int a = actual.getRGB(x, y);
                int e = expected.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    counts[Math.abs((a >> shift & 0xff) - (e >> shift & 0xff))]++;
                }
            }
        }
        return new SampleDifferences(counts);
    }

    public long samples() {
        return Arrays.stream(counts).sum();
    }

    public long equal() {
        return counts[0];
    }

    /** The samples that differ by at most {@code levels}. */
    public long within(int levels) {
        return Arrays.stream(counts, 0, levels + 1).sum();
    }

    /** The largest difference, in levels. */
    public int max() {
        int d = counts.length - 1;
        while (d > 0 && counts[d] == 0) {
            d--;
        }
        return d;
    }
}
