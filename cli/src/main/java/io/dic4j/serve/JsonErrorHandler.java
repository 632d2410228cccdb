package io.dic4j.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (a malformed request line, headers over the limit, a body too slow) as the API's JSON
 * {@code {"error": ...}}, whatever the client accepts, instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String CONTENT_TYPE = "application/json; charset=utf-8";

    static byte[] body(String message) {
        try {
            return JSON.writeValueAsBytes(JSON.createObjectNode().put("error", message));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
            Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(body(describe(code, message))), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(new HttpField(HttpHeader.CONTENT_TYPE, CONTENT_TYPE));
        return ByteBuffer.wrap(body(describe(status, reason)));
    }

    private static String describe(int status, String message) {
        return message == null || message.isBlank() ? "HTTP " + status : message;
    }
}
