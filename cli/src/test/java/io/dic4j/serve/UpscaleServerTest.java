package io.dic4j.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dic4j.infer.DicPredictor;
import io.dic4j.testing.Fixtures;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP endpoints against the predictor called directly (the reference's small DIC), and every error. */
class UpscaleServerTest {

    private static final int LIMIT = 100_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static DicPredictor predictor;
    private static UpscaleServer server;
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws IOException {
        predictor = DicPredictor.load(Fixtures.path("dic_small_ckp.pth"));
        server = UpscaleServer.start(predictor, new InetSocketAddress("127.0.0.1", 0), 2, LIMIT);
    }

    @AfterAll
    static void stop() {
        server.close();
        predictor.close();
    }

    @Test
    void upscaleAnswersThePredictorsFaceAsPng() throws Exception {
        BufferedImage face = face(16, 16, 0x806040);
        HttpResponse<byte[]> r = post("/upscale", encode(face, "png"));
        assertEquals(200, r.statusCode());
        assertEquals("image/png", r.headers().firstValue("Content-Type").orElseThrow());
        BufferedImage sr = ImageIO.read(new ByteArrayInputStream(r.body()));
        BufferedImage expected = predictor.predict(List.of(face)).get(0).sr();
        assertEquals(128, sr.getWidth());
        assertArrayEquals(pixels(expected), pixels(sr));
    }

    @Test
    void landmarksOfAResizedJpegEqualThePredictors() throws Exception {
        BufferedImage photo = face(40, 48, 0x705030);
        byte[] jpeg = encode(photo, "jpg");
        HttpResponse<byte[]> r = post("/landmarks", jpeg);
        assertEquals(200, r.statusCode());
        JsonNode json = JSON.readTree(r.body());
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(jpeg));
        float[][] expected = predictor.predict(List.of(DicPredictor.asInput(decoded))).get(0).landmarks();
        assertEquals(68, json.get("points").size());
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i][0], json.get("points").get(i).get(0).floatValue(), 0f, "x of point " + i);
            assertEquals(expected[i][1], json.get("points").get(i).get(1).floatValue(), 0f, "y of point " + i);
        }
        assertEquals(128, json.get("size").get(0).asInt());
    }

    @Test
    void concurrentRequestsGetTheSameAnswer() throws Exception {
        byte[] png = encode(face(16, 16, 0x405080), "png");
        List<CompletableFuture<HttpResponse<byte[]>>> futures = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            futures.add(CLIENT.sendAsync(request("/upscale").POST(HttpRequest.BodyPublishers.ofByteArray(png))
                    .build(), HttpResponse.BodyHandlers.ofByteArray()));
        }
        int[] first = null;
        for (CompletableFuture<HttpResponse<byte[]>> f : futures) {
            HttpResponse<byte[]> r = f.get();
            assertEquals(200, r.statusCode());
            int[] px = pixels(ImageIO.read(new ByteArrayInputStream(r.body())));
            if (first == null) {
                first = px;
            }
            assertArrayEquals(first, px);
        }
    }

    @Test
    void healthTellsTheNetwork() throws Exception {
        HttpResponse<byte[]> r = CLIENT.send(request("/health").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        JsonNode json = JSON.readTree(r.body());
        assertEquals("ok", json.get("status").asText());
        assertEquals(Fixtures.SMALL.numFeatures(), json.get("config").get("num_features").asInt());
    }

    @Test
    void badRequestsAreNamedErrors() throws Exception {
        assertError(post("/upscale", "not a face".getBytes()), 400, "request body: not an image");
        assertError(post("/upscale", new byte[0]), 400, "the request body is empty");
        byte[] truncated = encode(face(16, 16, 0x102030), "png");
        assertError(post("/upscale", java.util.Arrays.copyOf(truncated, truncated.length / 2)), 400,
                "truncated PNG");
        assertError(post("/upscale", new byte[LIMIT + 1]), 413, "over the limit of " + LIMIT + " bytes");
        HttpResponse<byte[]> get = CLIENT.send(request("/upscale").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertError(get, 405, "/upscale takes POST, not GET");
        assertEquals("POST", get.headers().firstValue("Allow").orElseThrow());
        assertError(post("/nope", new byte[1]), 404, "no such endpoint: POST /nope");
    }

    private static void assertError(HttpResponse<byte[]> r, int status, String message) throws IOException {
        assertEquals(status, r.statusCode());
        String error = JSON.readTree(r.body()).get("error").asText();
        assertTrue(error.contains(message), error);
    }

    private static HttpRequest.Builder request(String path) {
        InetSocketAddress a = server.address();
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + path));
    }

    private static HttpResponse<byte[]> post(String path, byte[] body) throws Exception {
        return CLIENT.send(request(path).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static BufferedImage face(int w, int h, int rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb ^ (x * 7 + y * 13));
            }
        }
        return img;
    }

    private static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
