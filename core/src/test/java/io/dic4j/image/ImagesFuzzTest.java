package io.dic4j.image;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dic4j.testing.FuzzFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Any bytes given as an image: read as RGB, or refused with an {@link ImageReadException} naming the source. */
class ImagesFuzzTest {

    private static final String SOURCE = "fuzz-input";
    private static long limit;

    @BeforeAll
    static void smallLimit() {
        // a header may declare up to the default limit, whose decoding is allowed but would slow the fuzzer down
        limit = Images.maxPixels();
        Images.setMaxPixels(1 << 20);
    }

    @AfterAll
    static void restoreLimit() {
        Images.setMaxPixels(limit);
    }

    @FuzzTest(maxDuration = FuzzFiles.MAX_DURATION)
    void readRgb(byte[] input) {
        try {
            Images.readRgb(input, SOURCE);
        } catch (ImageReadException e) {
            if (!e.getMessage().startsWith(SOURCE + ": ")) {
                throw new AssertionError("the error does not name its source: " + e.getMessage(), e);
            }
        }
    }
}
