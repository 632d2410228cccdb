package io.dic4j.data;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dic4j.testing.FuzzFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;

/**
 * Any bytes given as an annotation file: read, or refused with an {@link IOException} (an
 * {@link AnnotationException} where the reader knows the line) naming a file of the dataset.
 */
class AnnotationReadersFuzzTest {

    private static final FuzzFiles FILES = new FuzzFiles();
    /** A valid landmark file beside the box CSV's image, so the CSV's own faults are what is fuzzed. */
    private static final String PTS = "version: 1\nn_points: 3\n{\n10 20\n30 40\n50 25\n}\n";

    @AfterAll
    static void cleanUp() throws IOException {
        FILES.close();
    }

    private static void expectNamed(IoCall call) {
        try {
            call.run();
        } catch (IOException e) {
            FuzzFiles.requireNamed(e, FILES.dir());
        }
    }

    @FunctionalInterface
    private interface IoCall {
        void run() throws IOException;
    }

    @FuzzTest(maxDuration = FuzzFiles.MAX_DURATION)
    void infoList(byte[] input) {
        Path pkl = FILES.write("info_list.pkl", input);
        expectNamed(() -> InfoListReader.read(pkl, FILES.dir()));
    }

    @FuzzTest(maxDuration = FuzzFiles.MAX_DURATION)
    void pts(byte[] input) {
        Path pts = FILES.write("face.pts", input);
        expectNamed(() -> PtsReader.readPoints(pts));
    }

    @FuzzTest(maxDuration = FuzzFiles.MAX_DURATION)
    void boxCsv(byte[] input) {
        FILES.write("face.pts", PTS.getBytes(StandardCharsets.US_ASCII));
        Path csv = FILES.write("bboxes.csv", input);
        expectNamed(() -> PtsReader.read(FILES.dir(), csv));
    }

    @FuzzTest(maxDuration = FuzzFiles.MAX_DURATION)
    void helen(byte[] input) throws IOException {
        Path annotations = Files.createDirectories(FILES.dir().resolve("helen"));
        Files.write(annotations.resolve("face.txt"), input);
        expectNamed(() -> HelenReader.read(annotations, FILES.dir()));
    }

    @FuzzTest(maxDuration = FuzzFiles.MAX_DURATION)
    void celeba(byte[] input) {
        Path txt = FILES.write("list_landmarks_align_celeba.txt", input);
        expectNamed(() -> CelebaReader.read(txt, FILES.dir()));
    }
}
