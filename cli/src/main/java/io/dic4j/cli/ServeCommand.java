package io.dic4j.cli;

import io.dic4j.infer.DicPredictor;
import io.dic4j.serve.UpscaleServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dic4j serve}: DIC over HTTP until stopped (Ctrl-C). */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        header = "Serves DIC over HTTP until stopped.",
        description = {
            "Serves DIC over HTTP until stopped with Ctrl-C. POST /upscale with a face image as the body answers"
                    + " the 128x128 PNG; POST /landmarks answers the 68 landmarks in the 128x128 face as JSON; GET"
                    + " /health answers the status and the network's config as JSON.",
            "Images that are not 16x16 are resized to it with Pillow's bicubic filter. Errors are JSON objects"
                    + " {\"error\": ...}: 400 for a body that is not a readable image, 413 for one over --max-bytes."
        },
        footerHeading = Main.EXAMPLES_HEADING,
        footer = {
            "  dic4j serve --port 8080 --threads 2",
            "  curl --data-binary @face.png http://127.0.0.1:8080/upscale -o sr.png"
        })
final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Mixin
    ImageLimitOptions imageLimitOptions;

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "HOST",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String host;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "PORT",
            description = "Port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--threads", defaultValue = "2", paramLabel = "N",
            description = "Requests handled at once (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--max-bytes", defaultValue = "10000000", paramLabel = "N",
            description = "Largest image accepted, in bytes (default: ${DEFAULT-VALUE}).")
    int maxBytes;

    /** Counted down to stop the server (the shutdown hook in use, tests directly). */
    final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        String usage = modelOptions.usageError();
        if (usage == null && (port < 0 || port > 65535 || threads < 1 || maxBytes < 1)) {
            usage = "--port must be 0..65535, --threads and --max-bytes positive";
        }
        if (usage != null) {
            err.println("error: " + usage);
            return ExitCodes.USAGE;
        }
        try (DicPredictor predictor = modelOptions.open(err);
                UpscaleServer server = UpscaleServer.start(predictor, new InetSocketAddress(host, port), threads,
                        maxBytes)) {
            InetSocketAddress at = server.address();
            err.printf("serve: listening on http://%s:%d (POST /upscale, POST /landmarks, GET /health)%n",
                    at.getHostString(), at.getPort());
            Thread hook = new Thread(stop::countDown, "dic4j-serve-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                stop.await();
            } finally {
                removeHook(hook);
            }
            err.println("serve: stopping");
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.FAILED;
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
