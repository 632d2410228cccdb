package io.dic4j.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionFilesTest {

    @TempDir
    Path dir;

    @Test
    void bytesThatJacksonTakesForUtf32NameTheFile() throws IOException {
        // the fuzz test's finding: '{' and zero bytes look like UTF-32 to Jackson, whose decoder then fails
        Path file = Files.write(dir.resolve("options.json"), new byte[] {'{', 0, 0, 0, 0, 0, (byte) 0xf6, 0, 0});
        IOException e = assertThrows(IOException.class, () -> OptionFiles.read(file));
        assertEquals(file + ": not valid JSON text: Invalid UTF-32 character 0xf50000 (above 0x0010ffff) at char #1,"
                + " byte #7)", e.getMessage());
    }

    @Test
    void aSyntaxErrorNamesFileLineAndColumn() throws IOException {
        Path file = Files.writeString(dir.resolve("o.json"), "{\n  \"a\": 1,\n  \"b\" 2\n}\n");
        IOException e = assertThrows(IOException.class, () -> OptionFiles.read(file));
        assertTrue(e.getMessage().startsWith(file + ":3:"), e.getMessage());
        assertTrue(e.getMessage().contains(": not valid JSON: Unexpected character ('2'"), e.getMessage());
    }
}
