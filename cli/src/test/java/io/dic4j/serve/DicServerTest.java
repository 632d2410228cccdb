package io.dic4j.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dic4j.enhance.FaceDetector;
import io.dic4j.enhance.FaceEnhancer;
import io.dic4j.image.Images;
import io.dic4j.image.PilResize;
import io.dic4j.infer.DicPredictor;
import io.dic4j.testing.Fixtures;
import io.dic4j.testing.Pngs;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP API against the predictor and enhancer called directly (the reference's small DIC), every error, limits. */
class DicServerTest {

    private static final int LIMIT = 100_000;
    private static final long PIXEL_LIMIT = 10_000_000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static DicPredictor predictor;
    private static FaceDetector detector;
    private static DicServer server;

    @BeforeAll
    static void start() throws IOException {
        Images.setMaxPixels(PIXEL_LIMIT);
        predictor = DicPredictor.load(Fixtures.path("dic_small_ckp.pth"));
        detector = FaceDetector.builtIn();
        server = start(DicServer.Limits.DEFAULT.withMaxBodyBytes(LIMIT));
    }

    @AfterAll
    static void stop() {
        server.close();
        detector.close();
        predictor.close();
        Images.setMaxPixels(Images.DEFAULT_MAX_PIXELS);
    }

    private static DicServer start(DicServer.Limits limits) {
        return DicServer.start(predictor, detector, new InetSocketAddress("127.0.0.1", 0), limits,
                DicServer.Batching.DEFAULT);
    }

    @Test
    void upscaleAnswersThePredictorsFaceAsPng() throws Exception {
        BufferedImage face = face(16, 16, 0x806040);
        HttpResponse<byte[]> r = post(server, "/upscale", encode(face, "png"));
        assertEquals(200, r.statusCode());
        assertEquals("image/png", r.headers().firstValue("Content-Type").orElseThrow());
        assertArrayEquals(pixels(predictor.predict(List.of(face)).get(0).sr()), pixels(decode(r.body())));
    }

    @Test
    void aMultipartFormGivesTheSameFaceAsTheRawBody() throws Exception {
        byte[] png = encode(face(16, 16, 0x306090), "png");
        String boundary = "----dic4jBoundary7MA4YWxk";
        ByteArrayOutputStream form = new ByteArrayOutputStream();
        form.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"face.png\"\r\nContent-Type: image/png"
                + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        form.write(png);
        form.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1));
        HttpResponse<byte[]> multipart = CLIENT.send(request(server, "/upscale")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.toByteArray())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, multipart.statusCode(), new String(multipart.body(), StandardCharsets.UTF_8));
        assertArrayEquals(pixels(decode(post(server, "/upscale", png).body())), pixels(decode(multipart.body())));
    }

    @Test
    void upscaleAsJsonHasEveryStepAndItsLandmarks() throws Exception {
        BufferedImage face = face(16, 16, 0x507090);
        HttpResponse<byte[]> r = CLIENT.send(request(server, "/upscale").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(encode(face, "png"))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, r.statusCode());
        JsonNode json = JSON.readTree(r.body());
        DicPredictor.Result expected = predictor.predict(List.of(face)).get(0);
        assertEquals(expected.steps().size(), json.get("steps").size());
        for (int i = 0; i < expected.steps().size(); i++) {
            JsonNode step = json.get("steps").get(i);
            assertArrayEquals(pixels(expected.steps().get(i)), pixels(dataUrl(step.get("image").asText())),
                    "step " + (i + 1));
            assertEquals(expected.stepLandmarks().get(i)[30][0], step.get("landmarks").get(30).get(0).floatValue(),
                    0f, "nose tip x, step " + (i + 1));
        }
        assertArrayEquals(pixels(expected.sr()), pixels(dataUrl(json.get("image").asText())));
        assertEquals(JSON.readTree(JSON.writeValueAsBytes(expected.landmarksJson())), json.get("landmarks"));
    }

    @Test
    void landmarksOfAResizedJpegEqualThePredictors() throws Exception {
        byte[] jpeg = encode(face(40, 48, 0x705030), "jpg");
        HttpResponse<byte[]> r = post(server, "/landmarks", jpeg);
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
    void concurrentRequestsEachGetTheirOwnAnswer() throws Exception {
        List<BufferedImage> faces = new ArrayList<>();
        List<CompletableFuture<HttpResponse<byte[]>>> futures = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            faces.add(face(16, 16, 0x405080 + 0x0a1020 * i));
            futures.add(CLIENT.sendAsync(request(server, "/upscale")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(encode(faces.get(i), "png"))).build(),
                    HttpResponse.BodyHandlers.ofByteArray()));
        }
        for (int i = 0; i < faces.size(); i++) {
            HttpResponse<byte[]> r = futures.get(i).get(60, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode());
            // alone in its pass or with others, the same as alone (BatchingPredictorTest)
            assertArrayEquals(pixels(predictor.predict(List.of(faces.get(i))).get(0).sr()), pixels(decode(r.body())),
                    "face " + i);
        }
    }

    @Test
    void enhanceAnswersTheEnhancersPhotoAndItsFaces() throws Exception {
        BufferedImage photo = photoWithAFace();
        FaceEnhancer.Options options = new FaceEnhancer.Options(4, FaceEnhancer.Options.DEFAULT.minScore(),
                FaceEnhancer.Options.DEFAULT.maxFaces(), false, FaceEnhancer.Options.DEFAULT.minFaceSide(),
                FaceEnhancer.Options.DEFAULT.maxFaceSide());
        FaceEnhancer.Result expected = new FaceEnhancer(detector, predictor).enhance(photo, options);
        HttpResponse<byte[]> png = post(server, "/enhance?upscale=4", encode(photo, "png"));
        assertEquals(200, png.statusCode());
        assertArrayEquals(pixels(expected.image()), pixels(decode(png.body())));
        HttpResponse<byte[]> r = CLIENT.send(request(server, "/enhance?upscale=4").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(encode(photo, "png"))).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        JsonNode json = JSON.readTree(r.body());
        assertEquals(1, json.get("faces").size(), json.get("faces").toString());
        assertEquals(JSON.readTree(JSON.writeValueAsBytes(expected.facesJson())), json.get("faces"));
        assertEquals(photo.getWidth() * 4, json.get("width").asInt());
        assertArrayEquals(pixels(expected.image()), pixels(dataUrl(json.get("image").asText())));
    }

    @Test
    void healthTellsTheNetworkAndTheLimits() throws Exception {
        HttpResponse<byte[]> r = get(server, "/health");
        assertEquals(200, r.statusCode());
        JsonNode json = JSON.readTree(r.body());
        assertEquals("ok", json.get("status").asText());
        assertEquals(Fixtures.SMALL.numFeatures(), json.get("config").get("num_features").asInt());
        assertEquals(LIMIT, json.get("max_body_bytes").asInt());
        assertEquals(8, json.get("batching").get("max_batch").asInt());
        JsonNode before = json.get("batching");
        assertEquals(200, post(server, "/upscale", encode(face(16, 16, 0x405060), "png")).statusCode());
        JsonNode after = JSON.readTree(get(server, "/health").body()).get("batching");
        assertEquals(before.get("passes").asLong() + 1, after.get("passes").asLong(), "one request, one pass");
        assertEquals(before.get("faces").asLong() + 1, after.get("faces").asLong(), "one request, one face");
    }

    @Test
    void theOpenApiDocumentDescribesEveryRoute() throws Exception {
        HttpResponse<byte[]> r = get(server, "/openapi.json");
        assertEquals(200, r.statusCode());
        JsonNode paths = JSON.readTree(r.body()).get("paths");
        Map<String, String> described = new TreeMap<>();
        for (Iterator<String> it = paths.fieldNames(); it.hasNext(); ) {
            String path = it.next();
            for (Iterator<String> m = paths.get(path).fieldNames(); m.hasNext(); ) {
                described.put(path, m.next().toUpperCase());
            }
        }
        assertEquals(new TreeMap<>(DicServer.ROUTES), described);
    }

    @Test
    void thePageAndItsAssetsComeFromTheServerAlone() throws Exception {
        HttpResponse<byte[]> page = get(server, "/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        String html = new String(page.body(), StandardCharsets.UTF_8);
        assertTrue(html.contains("<script src=\"app.js\">") && html.contains("href=\"app.css\""), html);
        for (String asset : List.of("/", "/app.js", "/app.css")) {
            String text = new String(get(server, asset).body(), StandardCharsets.UTF_8);
            assertFalse(text.matches("(?s).*(src|href)=\"(https?:)?//.*") || text.contains("url(http")
                    || text.contains("import "), asset + " loads something from elsewhere");
        }
        assertEquals(200, get(server, "/app.js").statusCode());
    }

    /**
     * A body refused from its length is read and dropped all the same: a server that closes a connection with request
     * bytes unread gets it reset, and the client loses the 413 already sent ("header parser received no bytes").
     */
    @Test
    void aClientSendingTooMuchGetsThe413() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertError(post(server, "/upscale", new byte[LIMIT * 19 / 10]), 413, "over the limit of " + LIMIT);
        }
    }

    @Test
    void badRequestsAreNamedErrors() throws Exception {
        assertError(post(server, "/upscale", "not a face".getBytes()), 415, "request body: not an image");
        assertError(post(server, "/upscale", new byte[0]), 400, "the request body is empty");
        byte[] truncated = encode(face(16, 16, 0x102030), "png");
        assertError(post(server, "/upscale", Arrays.copyOf(truncated, truncated.length / 2)), 400,
                "truncated PNG");
        assertError(post(server, "/upscale", new byte[LIMIT + 1]), 413, "over the limit of " + LIMIT + " bytes");
        assertError(post(server, "/landmarks", Pngs.black(5000, 4000)), 413,
                "5000x4000 is 20,000,000 pixels, over the limit of 10,000,000");
        assertError(post(server, "/enhance?upscale=16", encode(face(300, 300, 0x203040), "png")), 413,
                "a 300x300 photo at upscale 16 is 23,040,000 output pixels, over the limit of 16,777,216");
        assertError(post(server, "/enhance?upscale=0", encode(face(30, 30, 0x203040), "png")), 400,
                "upscale must be a whole number from 1 to 16, got '0'");
        HttpResponse<byte[]> noBoundary = CLIENT.send(request(server, "/upscale")
                .header("Content-Type", "multipart/form-data").POST(HttpRequest.BodyPublishers.ofByteArray(
                        truncated)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertError(noBoundary, 400, "multipart/form-data without a boundary");
        HttpResponse<byte[]> get = get(server, "/upscale");
        assertError(get, 405, "/upscale takes POST, not GET");
        assertEquals("POST", get.headers().firstValue("Allow").orElseThrow());
        HttpResponse<byte[]> postHealth = post(server, "/health", new byte[1]);
        assertError(postHealth, 405, "/health takes GET, not POST");
        assertError(post(server, "/nope", new byte[1]), 404, "no such endpoint: POST /nope");
        assertError(get(server, "/nope"), 404, "no such endpoint: GET /nope");
    }

    @Test
    void jettysOwnErrorsAreJsonToo() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
            s.setSoTimeout(30_000);
            s.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "x".repeat(20_000)
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            Raw r = Raw.read(s);
            assertEquals(431, r.status(), r.body());
            assertTrue(JSON.readTree(r.body()).get("error").asText().contains("Header"), r.body());
        }
    }

    @Test
    void aBodyDeclaredOverTheLimitIsRefusedBeforeItIsSent() throws Exception {
        // as curl asks for bodies over 1 MB: the server answers before the client sends any of it
        try (Socket s = stalledPost(server, "/upscale", LIMIT + 1, 0, "Expect: 100-continue\r\n")) {
            Raw r = Raw.read(s);
            assertEquals(413, r.status());
            assertTrue(r.body().contains("over the limit of " + LIMIT + " bytes"), r.body());
        }
    }

    @Test
    void aNormalRequestIsAnsweredWhileEightClientsStall() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                stalled.add(stalledPost(server, "/upscale", 1000, i % 2));
            }
            BufferedImage face = face(16, 16, 0x604020);
            HttpResponse<byte[]> r = CLIENT.send(request(server, "/upscale").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(encode(face, "png"))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, r.statusCode());
            assertArrayEquals(pixels(predictor.predict(List.of(face)).get(0).sr()), pixels(decode(r.body())));
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
    }

    @Test
    void aStalledBodyIsEndedByTheReadTimeoutAndFreesItsPlace() throws Exception {
        DicServer.Limits limits = new DicServer.Limits(LIMIT, 1_000_000, 1, Duration.ofSeconds(1), 0,
                Duration.ofSeconds(30), Duration.ofSeconds(5));
        try (DicServer small = start(limits); Socket s = stalledPost(small, "/upscale", 1000, 1)) {
            awaitInFlight(small, 1);
            HttpResponse<byte[]> busy = post(small, "/upscale", encode(face(16, 16, 0x203040), "png"));
            assertError(busy, 503, "busy: 1 requests in flight");
            assertEquals("1", busy.headers().firstValue("Retry-After").orElseThrow());
            Raw timedOut = Raw.read(s);
            assertEquals(408, timedOut.status(), timedOut.body());
            assertTrue(timedOut.body().contains("the request body stopped arriving or came too slowly"),
                    timedOut.body());
            awaitInFlight(small, 0);
            assertEquals(200, post(small, "/upscale", encode(face(16, 16, 0x203040), "png")).statusCode());
        }
    }

    @Test
    void closingLetsTheRequestInFlightFinishAndRefusesNewConnections() throws Exception {
        // no minimum body rate: the body pauses while the server stops
        DicServer draining = start(new DicServer.Limits(LIMIT, 1_000_000, 4, Duration.ofSeconds(10), 0,
                Duration.ofSeconds(30), Duration.ofSeconds(30)));
        int port = draining.address().getPort();
        byte[] png = encode(face(16, 16, 0x708090), "png");
        try (Socket s = new Socket("127.0.0.1", port)) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /upscale HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\nContent-Length: "
                    + png.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(png, 0, png.length / 2);
            out.flush();
            awaitInFlight(draining, 1);
            CompletableFuture<Void> closed = CompletableFuture.runAsync(draining::close);
            Thread.sleep(500);
            assertFalse(closed.isDone(), "close() returned with a request in flight");
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
            out.write(png, png.length / 2, png.length - png.length / 2);
            out.flush();
            Raw r = Raw.read(s);
            assertEquals(200, r.status(), r.body());
            closed.get(30, TimeUnit.SECONDS);
        }
    }

    private static void awaitInFlight(DicServer server, int n) throws Exception {
        for (int i = 0; i < 200; i++) {
            if (JSON.readTree(get(server, "/health").body()).get("in_flight").asInt() == n) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("never " + n + " requests in flight");
    }

    /**
     * A connection that sent a POST's headers, declaring {@code length} bytes of body, and {@code sent} bytes of it
     * (Jetty hands a request to the server only once some of its body has come).
     */
    static Socket stalledPost(DicServer server, String path, int length, int sent) throws IOException {
        return stalledPost(server, path, length, sent, "");
    }

    static Socket stalledPost(DicServer server, String path, int length, int sent, String headers)
            throws IOException {
        Socket s = new Socket("127.0.0.1", server.address().getPort());
        s.setSoTimeout(30_000);
        s.getOutputStream().write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: image/png\r\n"
                + headers + "Content-Length: " + length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().write(new byte[sent]);
        s.getOutputStream().flush();
        return s;
    }

    /** A response read off a raw socket: its status and its body. */
    record Raw(int status, String body) {
        static Raw read(Socket s) throws IOException {
            InputStream in = s.getInputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the connection closed within the headers: " + head);
                }
                head.write(b);
            }
            String headers = head.toString(StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(headers.substring(9, 12));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)")
                    .matcher(headers);
            byte[] body = m.find() ? in.readNBytes(Integer.parseInt(m.group(1))) : new byte[0];
            return new Raw(status, new String(body, StandardCharsets.UTF_8));
        }
    }

    private static void assertError(HttpResponse<byte[]> r, int status, String message) throws IOException {
        assertEquals(status, r.statusCode(), new String(r.body(), StandardCharsets.UTF_8));
        assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("application/json"));
        String error = JSON.readTree(r.body()).get("error").asText();
        assertTrue(error.contains(message), error);
    }

    private static HttpRequest.Builder request(DicServer server, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort() + path));
    }

    private static HttpResponse<byte[]> get(DicServer server, String path) throws Exception {
        return CLIENT.send(request(server, path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<byte[]> post(DicServer server, String path, byte[] body) throws Exception {
        return CLIENT.send(request(server, path).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The example astronaut at 16 px on a grey 64×48 photo: a face BlazeFace finds and DIC enhances. */
    private static BufferedImage photoWithAFace() throws Exception {
        BufferedImage face = PilResize.resize(Images.readRgb(Path.of("examples/astronaut_hr.png")), 16, 16);
        BufferedImage photo = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = photo.createGraphics();
        g.setColor(new Color(120, 120, 120));
        g.fillRect(0, 0, 64, 48);
        g.drawImage(face, 23, 13, null);
        g.dispose();
        return photo;
    }

    static BufferedImage face(int w, int h, int rgb) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, rgb ^ (x * 7 + y * 13));
            }
        }
        return img;
    }

    static byte[] encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, format, out);
        return out.toByteArray();
    }

    private static BufferedImage decode(byte[] png) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(png));
    }

    private static BufferedImage dataUrl(String url) throws IOException {
        String prefix = "data:image/png;base64,";
        assertTrue(url.startsWith(prefix), url.substring(0, Math.min(40, url.length())));
        return decode(Base64.getDecoder().decode(url.substring(prefix.length())));
    }

    static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
