package io.dic4j.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dic4j.image.ImageReadException;
import io.dic4j.image.Images;
import io.dic4j.infer.DicPredictor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DIC over HTTP (the JDK's server, no framework): one face per request, any image format dic4j reads, resized to
 * 16×16 (Pillow's bicubic) when it is not.
 *
 * <ul>
 *   <li>{@code POST /upscale}, body: the image → {@code image/png}, the 128×128 face</li>
 *   <li>{@code POST /landmarks}, body: the image → JSON {@code {"size", "scheme", "points"}}, the 68 landmarks in
 *       the SR face's pixels</li>
 *   <li>{@code GET /health} → JSON {@code {"status": "ok", "config": {...}}}</li>
 * </ul>
 * Errors are JSON {@code {"error": "..."}}: 400 for a body that is not a readable image, 404, 405, 413 for a
 * body over the size limit, 500 when the network fails. Requests run on a fixed pool of threads sharing one predictor.
 */
public final class UpscaleServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(UpscaleServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PNG = "image/png";
    private static final String JSON_TYPE = "application/json";

    private final HttpServer server;
    private final ExecutorService workers;
    private final DicPredictor predictor;
    private final int maxBodyBytes;

    private UpscaleServer(HttpServer server, ExecutorService workers, DicPredictor predictor, int maxBodyBytes) {
        this.server = server;
        this.workers = workers;
        this.predictor = predictor;
        this.maxBodyBytes = maxBodyBytes;
    }

    /**
     * Starts serving; port 0 picks a free one (see {@link #address()}).
     *
     * @param threads requests handled at once
     * @param maxBodyBytes the largest image accepted
     */
    public static UpscaleServer start(DicPredictor predictor, InetSocketAddress address, int threads,
            int maxBodyBytes) throws IOException {
        if (threads < 1 || maxBodyBytes < 1) {
            throw new IllegalArgumentException("threads and the body limit must be positive, got " + threads
                    + " and " + maxBodyBytes);
        }
        HttpServer http = HttpServer.create(address, 0);
        ExecutorService workers = Executors.newFixedThreadPool(threads);
        UpscaleServer server = new UpscaleServer(http, workers, predictor, maxBodyBytes);
        http.createContext("/", server::handle);
        http.setExecutor(workers);
        http.start();
        return server;
    }

    /** Where it listens (the actual port when started on port 0). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** Stops accepting, lets running requests finish (up to a few seconds); the predictor stays the caller's. */
    @Override
    public void close() {
        server.stop(1);
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            switch (path) {
                case "/health" -> {
                    if (allowed(exchange, "GET")) {
                        ObjectNode json = JSON.createObjectNode().put("status", "ok");
                        json.set("config", predictor.config().toJson());
                        send(exchange, 200, JSON_TYPE, JSON.writeValueAsBytes(json));
                    }
                }
                case "/upscale", "/landmarks" -> {
                    if (allowed(exchange, "POST")) {
                        superResolve(exchange, path.equals("/landmarks"));
                    }
                }
                default -> error(exchange, 404, "no such endpoint: " + method + " " + path
                        + " (POST /upscale, POST /landmarks, GET /health)");
            }
        } catch (IOException e) {
            // the client went away mid-request: nothing to answer
            LOG.debug("request aborted", e);
        }
    }

    private void superResolve(HttpExchange exchange, boolean landmarks) throws IOException {
        byte[] body = readBody(exchange.getRequestBody());
        if (body == null) {
            error(exchange, 413, "the image is over the limit of " + maxBodyBytes + " bytes");
            return;
        }
        if (body.length == 0) {
            error(exchange, 400, "the request body is empty: send the image's bytes");
            return;
        }
        BufferedImage image;
        try {
            image = Images.readRgb(body, "request body");
        } catch (ImageReadException e) {
            error(exchange, 400, e.getMessage());
            return;
        }
        DicPredictor.Result result;
        try {
            result = predictor.predict(List.of(DicPredictor.asInput(image))).get(0);
        } catch (RuntimeException e) {
            LOG.error("super-resolution failed", e);
            error(exchange, 500, "super-resolution failed: " + e.getMessage());
            return;
        }
        if (landmarks) {
            send(exchange, 200, JSON_TYPE, JSON.writeValueAsBytes(result.landmarksJson()));
        } else {
            send(exchange, 200, PNG, Images.encodePng(result.sr()));
        }
    }

    /** The body, or null when it is over the limit. */
    private byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(maxBodyBytes + 1);
        return body.length > maxBodyBytes ? null : body;
    }

    private static boolean allowed(HttpExchange exchange, String method) throws IOException {
        if (exchange.getRequestMethod().equals(method)) {
            return true;
        }
        exchange.getResponseHeaders().add("Allow", method);
        error(exchange, 405, exchange.getRequestURI().getPath() + " takes " + method + ", not "
                + exchange.getRequestMethod());
        return false;
    }

    private static void error(HttpExchange exchange, int status, String message) throws IOException {
        send(exchange, status, JSON_TYPE, JSON.writeValueAsBytes(JSON.createObjectNode().put("error", message)));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type",
                type.equals(JSON_TYPE) ? type + "; charset=" + StandardCharsets.UTF_8.name() : type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
