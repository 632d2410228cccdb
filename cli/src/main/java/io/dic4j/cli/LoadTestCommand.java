package io.dic4j.cli;

import io.dic4j.bench.ServeLoad;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dic4j load-test}: loads a running {@code dic4j serve} and reports what it withstood. */
@Command(
        name = "load-test",
        mixinStandardHelpOptions = true,
        header = "Loads a running dic4j serve.",
        description = {
            "Sends one request while --stalled connections hold requests whose body never comes, and says how long"
                    + " it took; then --clients clients each send --requests requests one after another, and prints"
                    + " the statuses, requests per second and latencies, with the server's resident memory after"
                    + " every --requests answers when --pid names its process (Linux). With --against, the load"
                    + " goes to the --against server and to URL in turns, --rounds times, and the requests per second"
                    + " of URL over those of the other are printed per round and as their median."
        },
        footerHeading = Main.EXAMPLES_HEADING,
        footer = {
            "  dic4j load-test http://127.0.0.1:8080/upscale --image face.png --stalled 8",
            "  dic4j load-test http://127.0.0.1:8080/upscale --image face.png --pid 4242",
            "  dic4j load-test http://127.0.0.1:8080/upscale --image face.png \\",
            "      --against http://127.0.0.1:8081/upscale --rounds 8"
        })
final class LoadTestCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "URL", description = "The endpoint, e.g. http://127.0.0.1:8080/upscale.")
    URI uri;

    @Option(names = "--image", required = true, paramLabel = "FILE", description = "The body of every request.")
    Path image;

    @Option(names = "--stalled", defaultValue = "0", paramLabel = "N",
            description = "Stalled connections during the first request (default: ${DEFAULT-VALUE}: skip it).")
    int stalled;

    @Option(names = "--clients", defaultValue = "4", paramLabel = "N",
            description = "Concurrent clients (default: ${DEFAULT-VALUE}; 0: no load).")
    int clients;

    @Option(names = "--requests", defaultValue = "50", paramLabel = "N",
            description = "Requests per client (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--warm-up", defaultValue = "3", paramLabel = "N",
            description = "Requests sent alone first, not counted (default: ${DEFAULT-VALUE}).")
    int warmUp;

    @Option(names = "--against", paramLabel = "URL",
            description = "A baseline endpoint, loaded in turns with URL, e.g. a server started with --max-batch 1.")
    URI against;

    @Option(names = "--rounds", defaultValue = "8", paramLabel = "N",
            description = "Turns of each server with --against (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--pid", defaultValue = "0", paramLabel = "PID",
            description = "The server's process, whose resident memory is reported.")
    long pid;

    @Override
    public Integer call() {
        if (stalled < 0 || clients < 0 || requests < 1 || warmUp < 0 || rounds < 1 || !hasHostAndPort(uri)
                || against != null && (!hasHostAndPort(against) || clients < 1)) {
            spec.commandLine().getErr().println("error: the URLs need a host and a port; --stalled, --clients and"
                    + " --warm-up must not be negative, --requests and --rounds positive, --clients too with"
                    + " --against");
            return ExitCodes.USAGE;
        }
        try {
            ServeLoad load = new ServeLoad(uri, image, spec.commandLine().getOut());
            if (stalled > 0) {
                load.stalled(stalled);
            }
            if (against != null) {
                load.compare(new ServeLoad(against, image, spec.commandLine().getOut()), rounds, clients, requests,
                        warmUp);
            } else if (clients > 0) {
                load.load(clients, requests, warmUp, pid);
            }
            return 0;
        } catch (IOException | IllegalArgumentException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return ExitCodes.USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCodes.FAILED;
        } catch (Exception e) {
            spec.commandLine().getErr().println("error: " + e);
            return ExitCodes.FAILED;
        }
    }

    private static boolean hasHostAndPort(URI u) {
        return u.getHost() != null && u.getPort() >= 0;
    }
}
