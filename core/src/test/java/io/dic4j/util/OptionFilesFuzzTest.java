package io.dic4j.util;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.dic4j.eval.TestOptions;
import io.dic4j.model.DicConfig;
import io.dic4j.testing.FuzzFiles;
import io.dic4j.train.TrainOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;

/**
 * Any bytes given as an option file: not JSON is an {@link IOException} naming the file; JSON that is not a valid
 * train, test or network section is an {@link IllegalArgumentException} naming the key.
 */
class OptionFilesFuzzTest {

    private static final FuzzFiles FILES = new FuzzFiles();

    @AfterAll
    static void cleanUp() throws IOException {
        FILES.close();
    }

    @FuzzTest(maxDuration = FuzzFiles.MAX_DURATION)
    void options(byte[] input) {
        Path file = FILES.write("options.json", input);
        JsonNode root;
        try {
            root = OptionFiles.read(file);
        } catch (IOException e) {
            FuzzFiles.requireNamed(e, file);
            return;
        }
        List<Consumer<List<String>>> readers = List.of(ignored -> TrainOptions.fromJson(root, ignored),
                ignored -> TestOptions.fromJson(root, ignored), ignored -> DicConfig.fromJson(root, ignored));
        for (Consumer<List<String>> reader : readers) {
            try {
                reader.accept(new ArrayList<>());
            } catch (IllegalArgumentException e) {
                if (e.getMessage() == null || e.getMessage().isBlank()) {
                    throw new AssertionError("an option error without a message", e);
                }
            }
        }
    }
}
