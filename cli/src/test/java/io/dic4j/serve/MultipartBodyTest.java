package io.dic4j.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The file of a multipart form, as browsers and curl -F frame it. */
class MultipartBodyTest {

    private static final String FORM = "--XyZ\r\nContent-Disposition: form-data; name=\"mode\"\r\n\r\nface\r\n"
            + "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\nContent-Type: image/png"
            + "\r\n\r\n\u0089PNG\r\n\u001a\n\r\n--XyZ--\r\n";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void theFilePartIsTakenOverTheFieldsBeforeIt() {
        assertArrayEquals(bytes("\u0089PNG\r\n\u001a\n"), MultipartBody.firstFile(bytes(FORM),
                "multipart/form-data; boundary=XyZ"));
        assertArrayEquals(bytes("\u0089PNG\r\n\u001a\n"), MultipartBody.firstFile(bytes(FORM),
                "Multipart/Form-Data; charset=utf-8; boundary=\"XyZ\""));
        assertTrue(MultipartBody.isMultipart("multipart/form-data; boundary=XyZ"));
    }

    @Test
    void withoutAFilePartTheFirstPartIsTaken() {
        String form = "--b\r\nContent-Disposition: form-data; name=\"image\"\r\n\r\nRAW\r\n--b--\r\n";
        assertArrayEquals(bytes("RAW"), MultipartBody.firstFile(bytes(form), "multipart/form-data; boundary=b"));
    }

    @Test
    void brokenFormsAreNamed() {
        String cut = FORM.substring(0, FORM.indexOf("PNG") + 2);
        assertEquals("truncated multipart body (no closing boundary)", assertThrows(IllegalArgumentException.class,
                () -> MultipartBody.firstFile(bytes(cut), "multipart/form-data; boundary=XyZ")).getMessage());
        assertEquals("a multipart form without parts: send the image as a file field", assertThrows(
                IllegalArgumentException.class, () -> MultipartBody.firstFile(bytes("--b--\r\n"),
                        "multipart/form-data; boundary=b")).getMessage());
    }
}
