package io.dic4j.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** The real faces in ../shared/data: tests that need them skip, saying so on the console, where they are absent. */
public final class SharedData {

    private SharedData() {}

    /** {@code ../shared/data/<relative>}, or a visible skip of the calling test. */
    public static Path require(String relative, String test) {
        Path p = Path.of("..", "shared", "data").resolve(relative);
        if (!Files.exists(p)) {
            String message = "SKIPPED " + test + ": " + p + " is absent (the face data is not part of the repository)";
            System.out.println(message);
            Assumptions.abort(message);
        }
        return p;
    }
}
