package io.dic4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The load harness: what it sends, and the comparison it prints. */
class ServeLoadTest {

    @Test
    void compareLoadsBothServersInTurnsAndPrintsEachRoundsRatio(@TempDir Path dir) throws Exception {
        Path image = Files.write(dir.resolve("body.png"), new byte[] {1, 2, 3});
        AtomicInteger baselineRequests = new AtomicInteger();
        AtomicInteger candidateRequests = new AtomicInteger();
        HttpServer baseline = answering(baselineRequests);
        HttpServer candidate = answering(candidateRequests);
        try {
            StringWriter text = new StringWriter();
            PrintWriter out = new PrintWriter(text);
            new ServeLoad(uri(candidate), image, out).compare(new ServeLoad(uri(baseline), image, out), 3, 2, 5, 1);

            // one warm-up and 3 rounds of 2 clients x 5 requests each
            assertEquals(1 + 3 * 10, baselineRequests.get());
            assertEquals(1 + 3 * 10, candidateRequests.get());
            List<String> rows = text.toString().lines().filter(l -> l.matches("\\| \\d+ \\|.*")).toList();
            assertEquals(3, rows.size(), text.toString());
            Matcher m = Pattern.compile("median ([0-9.]+)x, ([0-9.]+)-([0-9.]+)x over 3 rounds").matcher(text.toString());
            assertTrue(m.find(), text.toString());
            double median = Double.parseDouble(m.group(1));
            assertTrue(Double.parseDouble(m.group(2)) <= median && median <= Double.parseDouble(m.group(3)),
                    text.toString());
        } finally {
            baseline.stop(0);
            candidate.stop(0);
        }
    }

    private static HttpServer answering(AtomicInteger requests) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/upscale", exchange -> {
            exchange.getRequestBody().readAllBytes();
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, 2);
            exchange.getResponseBody().write(new byte[] {4, 5});
            exchange.close();
        });
        server.start();
        return server;
    }

    private static URI uri(HttpServer server) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/upscale");
    }
}
