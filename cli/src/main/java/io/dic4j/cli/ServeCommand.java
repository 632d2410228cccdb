package io.dic4j.cli;

import io.dic4j.enhance.FaceDetector;
import io.dic4j.infer.DicPredictor;
import io.dic4j.serve.DicServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dic4j serve}: DIC over HTTP, with a web page, until stopped (Ctrl-C, SIGTERM). */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        header = "Serves DIC and a web page over HTTP until stopped.",
        description = {
            "Serves DIC over HTTP until stopped with Ctrl-C or SIGTERM, which lets the requests in flight finish."
                    + " GET / is a web page to try it; GET /openapi.json describes the API. Each POST takes the"
                    + " image as the body or as the file of a multipart form: POST /upscale answers the 128x128 PNG"
                    + " of a face crop (with Accept: application/json, JSON with every step and the landmarks);"
                    + " POST /enhance super-resolves the faces in a photo (?upscale=S, default 8; JSON with the"
                    + " faces found under Accept: application/json); POST /landmarks answers the 68 landmarks as"
                    + " JSON; GET /health the status and the network's config.",
            "Faces of requests that arrive together share one forward pass (--max-batch, --max-wait-ms)."
                    + " Errors are JSON objects {\"error\": ...}: 400 for an unreadable image, 404, 405, 408 for a"
                    + " body that stops arriving, 413 over --max-bytes, --max-pixels or --max-output-pixels, 415"
                    + " for a body that is no image, 503 with Retry-After over --max-in-flight."
        },
        footerHeading = Main.EXAMPLES_HEADING,
        footer = {
            "  dic4j serve --port 8080        (then open http://127.0.0.1:8080/)",
            "  curl --data-binary @face.png http://127.0.0.1:8080/upscale -o sr.png",
            "  curl -F file=@photo.jpg 'http://127.0.0.1:8080/enhance?upscale=4' -o out.png"
        })
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only; 0.0.0.0 for every"
                    + " interface).")
    String host;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT",
            description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
            description = "Forward passes run at once (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--max-batch", defaultValue = "8", paramLabel = "N",
            description = "Faces per forward pass at most (default: ${DEFAULT-VALUE}; 1 turns batching off).")
    int maxBatch;

    @Option(names = "--max-wait-ms", defaultValue = "20", paramLabel = "MS",
            description = "How long a forward pass, once it has a face, waits for others to share it"
                    + " (default: ${DEFAULT-VALUE}).")
    long maxWaitMs;

    @Option(names = "--max-in-flight", defaultValue = "16", paramLabel = "N",
            description = "Requests handled at once; more are answered 503 (default: ${DEFAULT-VALUE}).")
    int maxInFlight;

    @Option(names = "--max-bytes", defaultValue = "10000000", paramLabel = "N",
            description = "Largest request body, in bytes (default: ${DEFAULT-VALUE}).")
    int maxBytes;

    @Option(names = "--max-output-pixels", defaultValue = "16777216", paramLabel = "N",
            description = "Largest image /enhance answers, in pixels (default: ${DEFAULT-VALUE}, 4096x4096).")
    long maxOutputPixels;

    /** Lower than the other commands' default: every request in flight may hold a decoded image. */
    @Option(names = "--max-pixels", defaultValue = "16777216", paramLabel = "N",
            description = "Refuse images of more than N pixels, read from their header before decoding"
                    + " (default: ${DEFAULT-VALUE}, 4096x4096).")
    void setMaxPixels(long pixels) {
        ImageLimitOptions.apply(spec, pixels);
    }

    @Option(names = "--read-timeout", defaultValue = "10", paramLabel = "S",
            description = "Seconds a request may wait for the next bytes of its body (default: ${DEFAULT-VALUE}).")
    long readTimeout;

    @Option(names = "--min-body-rate", defaultValue = "16384", paramLabel = "B",
            description = "Bytes per second a body must arrive at once it has begun (default: ${DEFAULT-VALUE};"
                    + " 0: any).")
    long minBodyRate;

    @Option(names = "--idle-timeout", defaultValue = "30", paramLabel = "S",
            description = "Seconds a connection may stay idle (default: ${DEFAULT-VALUE}).")
    long idleTimeout;

    @Option(names = "--drain-timeout", defaultValue = "30", paramLabel = "S",
            description = "Seconds a stop waits for the requests in flight (default: ${DEFAULT-VALUE}).")
    long drainTimeout;

    /** Counted down to stop the server (the shutdown hook in use, tests directly). */
    final CountDownLatch stop = new CountDownLatch(1);
    /** Counted down once the server has stopped: the shutdown hook waits for it, or the JVM would halt first. */
    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        String usage = modelOptions.usageError();
        if (usage == null && (port < 0 || port > 65535)) {
            usage = "--port must be 0..65535";
        }
        if (usage == null && (threads < 1 || maxBatch < 1 || maxWaitMs < 0)) {
            usage = "--threads and --max-batch must be positive, --max-wait-ms not negative";
        }
        DicServer.Limits limits = null;
        if (usage == null) {
            try {
                limits = new DicServer.Limits(maxBytes, maxOutputPixels, maxInFlight, Duration.ofSeconds(readTimeout),
                        minBodyRate, Duration.ofSeconds(idleTimeout), Duration.ofSeconds(drainTimeout));
            } catch (IllegalArgumentException e) {
                usage = "--max-bytes, --max-output-pixels, --max-in-flight, --read-timeout and --idle-timeout must"
                        + " be positive, --min-body-rate and --drain-timeout not negative";
            }
        }
        if (usage != null) {
            err.println("error: " + usage);
            return ExitCodes.USAGE;
        }
        DicServer.Batching batching = new DicServer.Batching(threads, maxBatch, Duration.ofMillis(maxWaitMs));
        try (DicPredictor predictor = modelOptions.open(err, maxBatch);
                FaceDetector detector = FaceDetector.builtIn()) {
            // before the server listens, so that its first request does not pay for the first forward
            predictor.warmUp();
            Thread hook = new Thread(this::stopAndWait, "dic4j-serve-stop");
            try (DicServer server = DicServer.start(predictor, detector, new InetSocketAddress(host, port), limits,
                    batching)) {
                InetSocketAddress at = server.address();
                err.printf("serve: listening on http://%s:%d (the page at /, the API at /openapi.json)%n",
                        at.getHostString(), at.getPort());
                Runtime.getRuntime().addShutdownHook(hook);
                stop.await();
                err.println("serve: stopping, letting the requests in flight finish");
            } finally {
                removeHook(hook);
                stopped.countDown();
            }
            err.println("serve: stopped");
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.FAILED;
        }
    }

    private void stopAndWait() {
        stop.countDown();
        try {
            stopped.await(drainTimeout + 10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is what stopped us
        }
    }
}
