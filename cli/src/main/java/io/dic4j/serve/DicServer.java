package io.dic4j.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dic4j.enhance.FaceDetector;
import io.dic4j.enhance.FaceEnhancer;
import io.dic4j.image.ImageReadException;
import io.dic4j.image.ImageTooLargeException;
import io.dic4j.image.Images;
import io.dic4j.image.UnsupportedImageException;
import io.dic4j.infer.DicPredictor;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import org.eclipse.jetty.http.BadMessageException;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DIC over HTTP on Javalin (Jetty 12): a web page at {@code /}, and an API whose endpoints take the image as the raw
 * body or as the file of a multipart form. See {@code openapi.json} beside this class (served at
 * {@code /openapi.json}) for every endpoint, its answers and its errors.
 *
 * <p>Protection: a body over {@link Limits#maxBodyBytes()} is refused from its Content-Length before it is read (or
 * once the limit is passed, for chunked bodies); an image over {@link Images#maxPixels()} from its header before it is
 * decoded; at most {@link Limits#maxInFlight()} requests run at once, the others get 503 with a Retry-After; a request
 * whose body stops arriving for {@link Limits#readTimeout()} or arrives slower than {@link Limits#minBodyRate()} is
 * ended, as is a connection idle for {@link Limits#idleTimeout()}. {@link #close()} stops accepting and lets the
 * requests in flight finish, for up to {@link Limits#drainTimeout()}.
 *
 * <p>{@code /upscale} and {@code /landmarks} go through {@link BatchingPredictor}: faces of concurrent requests share
 * forward passes.
 */
public final class DicServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DicServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PNG = "image/png";
    private static final String JSON_TYPE = JsonErrorHandler.CONTENT_TYPE;
    private static final String WEB = "/io/dic4j/serve/web/";
    static final String OPENAPI = "/io/dic4j/serve/openapi.json";
    /** The enhance endpoint's output scale when the request names none, as {@code dic4j enhance}'s. */
    static final int DEFAULT_UPSCALE = 8;
    static final int MAX_UPSCALE = 16;

    /** Every route, path → method: the 404 and 405 answers name them, and openapi.json must describe each. */
    static final Map<String, String> ROUTES = routes();

    /**
     * What one server accepts.
     *
     * @param maxBodyBytes the largest request body, multipart framing included
     * @param maxOutputPixels the largest image {@code /enhance} may answer (the photo's pixels × upscale²)
     * @param maxInFlight requests handled at once; more are answered 503
     * @param readTimeout how long a request may wait for the next bytes of its body
     * @param minBodyRate bytes per second a body must arrive at, from its first byte
     * @param idleTimeout how long a connection may stay idle
     * @param drainTimeout how long {@link #close()} waits for the requests in flight
     */
    public record Limits(int maxBodyBytes, long maxOutputPixels, int maxInFlight, Duration readTimeout,
            long minBodyRate, Duration idleTimeout, Duration drainTimeout) {

        public static final Limits DEFAULT = new Limits(10_000_000, 4096L * 4096, 16, Duration.ofSeconds(10),
                16_384, Duration.ofSeconds(30), Duration.ofSeconds(30));

        public Limits {
            if (maxBodyBytes < 1 || maxOutputPixels < 1 || maxInFlight < 1 || minBodyRate < 0
                    || !positive(readTimeout) || !positive(idleTimeout) || drainTimeout.isNegative()) {
                throw new IllegalArgumentException("limits must be positive (the body rate and the drain time may"
                        + " be 0), got " + this);
            }
        }

        private static boolean positive(Duration d) {
            return !d.isNegative() && !d.isZero();
        }

        public Limits withMaxBodyBytes(int bytes) {
            return new Limits(bytes, maxOutputPixels, maxInFlight, readTimeout, minBodyRate, idleTimeout,
                    drainTimeout);
        }
    }

    /**
     * How faces are batched.
     *
     * @param workers forward passes run at once
     * @param maxBatch faces per forward pass at most (1: no batching)
     * @param maxWait how long a pass, once it has a face, waits for others to share it
     */
    public record Batching(int workers, int maxBatch, Duration maxWait) {
        public static final Batching DEFAULT = new Batching(1, 8, Duration.ofMillis(20));
    }

    private final Javalin app;
    private final DicPredictor predictor;
    private final FaceEnhancer enhancer;
    private final BatchingPredictor batcher;
    private final Limits limits;
    private final Batching batching;
    private final Semaphore inFlight;
    private final Map<String, byte[]> assets = new LinkedHashMap<>();

    private DicServer(DicPredictor predictor, FaceDetector detector, Limits limits, Batching batching) {
        this.predictor = predictor;
        // not closed here: the predictor and the detector stay the caller's
        this.enhancer = new FaceEnhancer(detector, predictor);
        this.batcher = new BatchingPredictor(predictor::predict, batching.workers(), batching.maxBatch(), batching.maxWait());
        this.limits = limits;
        this.batching = batching;
        this.inFlight = new Semaphore(limits.maxInFlight());
        for (String asset : List.of(WEB + "index.html", WEB + "app.js", WEB + "app.css", OPENAPI)) {
            assets.put(asset, resource(asset));
        }
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.http.maxRequestSize = limits.maxBodyBytes();
            config.http.prefer405over404 = true;
            config.jetty.modifyServer(server -> {
                // Jetty's graceful stop: connectors stop accepting, this handler waits for the requests in it
                server.setHandler(new GracefulHandler());
                server.setStopTimeout(limits.drainTimeout().toMillis());
                server.setErrorHandler(new JsonErrorHandler());
            });
            config.jetty.modifyHttpConfiguration(http -> {
                http.setIdleTimeout(limits.readTimeout().toMillis());
                http.setMinRequestDataRate(limits.minBodyRate());
                http.setSendServerVersion(false);
            });
            config.routes.get("/", asset(WEB + "index.html", "text/html; charset=utf-8"));
            config.routes.get("/app.js", asset(WEB + "app.js", "text/javascript; charset=utf-8"));
            config.routes.get("/app.css", asset(WEB + "app.css", "text/css; charset=utf-8"));
            config.routes.get("/openapi.json", asset(OPENAPI, JSON_TYPE));
            config.routes.get("/health", this::health);
            config.routes.post("/upscale", limited(this::upscale));
            config.routes.post("/landmarks", limited(this::landmarks));
            config.routes.post("/enhance", limited(this::enhance));
            config.routes.exception(ApiError.class, (e, ctx) -> {
                e.headers().forEach(ctx::header);
                error(ctx, e.status(), e.getMessage());
            });
            config.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(),
                    e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                error(ctx, 500, "internal error: " + e);
            });
            config.routes.error(404, ctx -> error(ctx, 404, "no such endpoint: " + ctx.method() + " "
                    + ctx.path() + " (" + String.join(", ", ROUTES.entrySet().stream()
                    .map(r -> r.getValue() + " " + r.getKey()).toList()) + ")"));
            config.routes.error(405, ctx -> {
                String allowed = ROUTES.getOrDefault(ctx.path(), "");
                ctx.header("Allow", allowed);
                error(ctx, 405, ctx.path() + " takes " + allowed + ", not " + ctx.method());
            });
        });
    }

    /**
     * Starts serving; port 0 picks a free one (see {@link #address()}).
     *
     * @param predictor DIC, for {@code /upscale}, {@code /landmarks} and the faces of {@code /enhance}
     * @param detector the face detector of {@code /enhance}
     */
    public static DicServer start(DicPredictor predictor, FaceDetector detector, InetSocketAddress address,
            Limits limits, Batching batching) {
        DicServer server = new DicServer(predictor, detector, limits, batching);
        try {
            server.app.start(address.getHostString(), address.getPort());
        } catch (RuntimeException e) {
            server.batcher.close();
            throw new IllegalArgumentException("cannot listen on " + address.getHostString() + ":"
                    + address.getPort() + ": " + rootMessage(e), e);
        }
        for (Connector c : server.app.jettyServer().server().getConnectors()) {
            ((ServerConnector) c).setIdleTimeout(limits.idleTimeout().toMillis());
        }
        return server;
    }

    /** Where it listens (the actual port when started on port 0). */
    public InetSocketAddress address() {
        ServerConnector c = (ServerConnector) app.jettyServer().server().getConnectors()[0];
        return new InetSocketAddress(c.getHost(), c.getLocalPort());
    }

    /**
     * Stops accepting connections and lets the requests in flight finish (up to the drain timeout; requests that come
     * on open connections meanwhile get 503), then stops; the predictor and detector stay the caller's.
     */
    @Override
    public void close() {
        app.stop();
        batcher.close();
    }

    private static Map<String, String> routes() {
        Map<String, String> r = new LinkedHashMap<>();
        for (String get : List.of("/", "/app.js", "/app.css", "/openapi.json", "/health")) {
            r.put(get, "GET");
        }
        for (String post : List.of("/upscale", "/enhance", "/landmarks")) {
            r.put(post, "POST");
        }
        return Collections.unmodifiableMap(r);
    }

    private Handler asset(String name, String type) {
        byte[] bytes = assets.get(name);
        return ctx -> ctx.contentType(type).result(bytes);
    }

    private static byte[] resource(String name) {
        try (InputStream in = DicServer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing from the jar: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code handler} if fewer than {@link Limits#maxInFlight()} requests are running, else answers 503. */
    private Handler limited(Handler handler) {
        return ctx -> {
            if (!inFlight.tryAcquire()) {
                throw new ApiError(503, "busy: " + limits.maxInFlight() + " requests in flight, the most this"
                        + " server takes; retry shortly", Map.of("Retry-After", "1"));
            }
            try {
                handler.handle(ctx);
            } finally {
                inFlight.release();
            }
        };
    }

    private void health(Context ctx) throws IOException {
        ObjectNode json = JSON.createObjectNode().put("status", "ok");
        json.set("config", predictor.config().toJson());
        json.put("in_flight", limits.maxInFlight() - inFlight.availablePermits());
        json.put("max_in_flight", limits.maxInFlight());
        json.putObject("batching").put("workers", batching.workers()).put("max_batch", batching.maxBatch())
                .put("max_wait_ms", batching.maxWait().toMillis()).put("passes", batcher.passes())
                .put("faces", batcher.faces());
        json.put("max_body_bytes", limits.maxBodyBytes());
        json.put("max_pixels", Images.maxPixels());
        json.put("max_output_pixels", limits.maxOutputPixels());
        ctx.contentType(JSON_TYPE).result(JSON.writeValueAsBytes(json));
    }

    private void upscale(Context ctx) throws IOException {
        DicPredictor.Result r = superResolve(ctx);
        if (!wantsJson(ctx)) {
            ctx.contentType(PNG).result(Images.encodePng(r.sr()));
            return;
        }
        ObjectNode json = JSON.createObjectNode();
        json.put("width", r.sr().getWidth()).put("height", r.sr().getHeight());
        json.put("image", dataUrl(r.sr()));
        json.set("landmarks", r.landmarksJson());
        ArrayNode steps = json.putArray("steps");
        for (int i = 0; i < r.steps().size(); i++) {
            ObjectNode step = steps.addObject().put("image", dataUrl(r.steps().get(i)));
            ArrayNode points = step.putArray("landmarks");
            for (float[] p : r.stepLandmarks().get(i)) {
                points.addArray().add(p[0]).add(p[1]);
            }
        }
        ctx.contentType(JSON_TYPE).result(JSON.writeValueAsBytes(json));
    }

    private void landmarks(Context ctx) throws IOException {
        ctx.contentType(JSON_TYPE).result(JSON.writeValueAsBytes(superResolve(ctx).landmarksJson()));
    }

    private void enhance(Context ctx) throws IOException {
        int upscale = upscaleParam(ctx);
        BufferedImage photo = image(ctx);
        long output = (long) photo.getWidth() * photo.getHeight() * upscale * upscale;
        if (output > limits.maxOutputPixels()) {
            throw new ApiError(413, String.format(Locale.ROOT, "a %dx%d photo at upscale %d is %,d output pixels,"
                    + " over the limit of %,d: send a smaller photo or ask for a lower ?upscale=",
                    photo.getWidth(), photo.getHeight(), upscale, output, limits.maxOutputPixels()));
        }
        FaceEnhancer.Result r = enhancer.enhance(photo, new FaceEnhancer.Options(upscale,
                FaceEnhancer.Options.DEFAULT.minScore(), FaceEnhancer.Options.DEFAULT.maxFaces(), false,
                FaceEnhancer.Options.DEFAULT.minFaceSide(), FaceEnhancer.Options.DEFAULT.maxFaceSide()));
        if (!wantsJson(ctx)) {
            ctx.contentType(PNG).result(Images.encodePng(r.image()));
            return;
        }
        ObjectNode json = JSON.createObjectNode();
        json.put("width", r.image().getWidth()).put("height", r.image().getHeight()).put("upscale", upscale);
        json.put("image", dataUrl(r.image()));
        json.put("coordinates", FaceEnhancer.COORDINATES);
        json.set("faces", r.facesJson());
        ctx.contentType(JSON_TYPE).result(JSON.writeValueAsBytes(json));
    }

    private static int upscaleParam(Context ctx) {
        String value = ctx.queryParam("upscale");
        if (value == null) {
            return DEFAULT_UPSCALE;
        }
        try {
            int s = Integer.parseInt(value);
            if (s >= 1 && s <= MAX_UPSCALE) {
                return s;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ApiError(400, "upscale must be a whole number from 1 to " + MAX_UPSCALE + ", got '" + value + "'");
    }

    /** DIC's result for the request's image, resized to 16×16 as {@code upscale} does, through the batcher. */
    private DicPredictor.Result superResolve(Context ctx) {
        BufferedImage face = DicPredictor.asInput(image(ctx));
        try {
            return batcher.submit(face).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(503, "the server is stopping");
        } catch (ExecutionException e) {
            throw new IllegalStateException("super-resolution failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** The request's image: read under the body limit, taken out of a multipart form if it is one, decoded. */
    private BufferedImage image(Context ctx) {
        byte[] body = body(ctx);
        String type = ctx.contentType();
        if (MultipartBody.isMultipart(type)) {
            try {
                body = MultipartBody.firstFile(body, type);
            } catch (IllegalArgumentException e) {
                throw new ApiError(400, e.getMessage());
            }
        }
        if (body.length == 0) {
            throw new ApiError(400, "the request body is empty: send the image's bytes, or a form with the image");
        }
        try {
            return Images.readRgb(body, "request body");
        } catch (ImageTooLargeException e) {
            throw new ApiError(413, e.getMessage());
        } catch (UnsupportedImageException e) {
            throw new ApiError(415, e.getMessage());
        } catch (ImageReadException e) {
            throw new ApiError(400, e.getMessage());
        }
    }

    private byte[] body(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > limits.maxBodyBytes()) {
            discardRest(ctx, 0);
            throw tooLarge(declared + " bytes");
        }
        byte[] body;
        try (InputStream in = ctx.req().getInputStream()) {
            body = in.readNBytes(limits.maxBodyBytes() + 1);
        } catch (IOException | BadMessageException e) {
            // Jetty's read timeout fails the read; its minimum data rate throws
            throw new ApiError(408, "the request body stopped arriving or came too slowly (" + rootMessage(e)
                    + "); the server waits " + limits.readTimeout().toSeconds() + " s for more and wants at least "
                    + limits.minBodyRate() + " bytes/s");
        }
        if (body.length > limits.maxBodyBytes()) {
            discardRest(ctx, body.length);
            throw tooLarge("more");
        }
        return body;
    }

    /**
     * Reads and drops the rest of a refused body, up to twice {@link Limits#maxBodyBytes()} in all ({@code read}
     * already), kept nowhere: a connection closed with request bytes unread is reset, and the client can lose the
     * 413 sent before (DicServerTest). The client of a body larger still may see the reset instead. A client that
     * asked {@code Expect: 100-continue} and was not read from has sent none of it and sends none after the 413:
     * reading would invite it to.
     */
    private void discardRest(Context ctx, long read) {
        if (read == 0 && "100-continue".equalsIgnoreCase(ctx.header("Expect"))) {
            return;
        }
        long left = 2L * limits.maxBodyBytes() - read;
        byte[] sink = new byte[64 * 1024];
        try (InputStream in = ctx.req().getInputStream()) {
            for (int n = 0; left > 0 && n >= 0; left -= n) {
                n = in.read(sink, 0, (int) Math.min(sink.length, left));
            }
        } catch (IOException | BadMessageException e) {
            // the answer is the 413 all the same
        }
    }

    private ApiError tooLarge(String size) {
        return new ApiError(413, "the request body is " + size + ", over the limit of " + limits.maxBodyBytes()
                + " bytes");
    }

    private static boolean wantsJson(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("application/json");
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).contentType(JSON_TYPE).result(JsonErrorHandler.body(message));
    }

    private static String dataUrl(BufferedImage image) throws IOException {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(Images.encodePng(image));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
