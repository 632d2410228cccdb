package io.dic4j.weights;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dic4j.testing.FuzzFiles;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;

/**
 * Any bytes given as a weights file: read, or refused with an {@link IOException} naming the file. One target per
 * format, each seeded with files of its own ({@code StateDict.read} tells formats from the content).
 */
class WeightsFuzzTest {

    private static final FuzzFiles FILES = new FuzzFiles();

    @AfterAll
    static void cleanUp() throws IOException {
        FILES.close();
    }

    private static void read(String name, byte[] input) {
        Path file = FILES.write(name, input);
        try {
            StateDict.read(file);
        } catch (IOException e) {
            FuzzFiles.requireNamed(e, file);
        }
    }

    @FuzzTest(maxDuration = FuzzFiles.MAX_DURATION)
    void pth(byte[] input) {
        read("fuzz.pth", input);
    }

    @FuzzTest(maxDuration = FuzzFiles.MAX_DURATION)
    void safetensors(byte[] input) {
        read("fuzz.safetensors", input);
    }

    @FuzzTest(maxDuration = FuzzFiles.MAX_DURATION)
    void npz(byte[] input) {
        read("fuzz.npz", input);
    }
}
