package io.dic4j.weights;

import com.code_intelligence.jazzer.api.BugDetectors;
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
        // DJL's engine asks the EC2 metadata address whether it runs on AWS when it first starts (an .npz is decoded
        // into NDArrays), unless OPT_OUT_TRACKING is set: once per process, whatever the input. Jazzer reports any
        // connection as a request forgery; every other destination still is one. (Not in @BeforeAll: Jazzer's
        // agent is only there once a fuzz test runs.)
        BugDetectors.allowNetworkConnections((host, port) -> host.equals("169.254.169.254") && port == 80);
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
