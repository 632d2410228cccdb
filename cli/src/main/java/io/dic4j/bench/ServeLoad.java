package io.dic4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load test of a running {@code dic4j serve}: first one request while {@code stalled} connections hold requests
 * whose body never comes (how long it takes), then {@code clients} clients each sending {@code requests} requests one
 * after another (status counts, requests per second, latencies, and the server's resident memory after every
 * {@code requests} answers when its process id is given).
 */
public final class ServeLoad {

    private final URI uri;
    private final byte[] body;
    private final PrintWriter out;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    public ServeLoad(URI uri, Path image, PrintWriter out) throws IOException {
        this.uri = uri;
        this.body = Files.readAllBytes(image);
        this.out = out;
    }

    /** One request while {@code stalled} connections each hold a request whose body never comes. */
    public void stalled(int stalled) throws IOException, InterruptedException {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < stalled; i++) {
                Socket s = new Socket(uri.getHost(), uri.getPort());
                s.getOutputStream().write(("POST " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost()
                        + "\r\nContent-Type: image/png\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().flush();
                sockets.add(s);
            }
            long start = System.nanoTime();
            HttpResponse<byte[]> r = send(Duration.ofSeconds(60));
            out.printf(Locale.ROOT, "%d stalled connections: a normal request answered %d in %.2f s%n", stalled,
                    r.statusCode(), (System.nanoTime() - start) / 1e9);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        out.flush();
    }

    /**
     * {@code clients} × {@code requests} requests after {@code warmUp} single ones; a Markdown table of the server's
     * resident memory after every {@code requests} answers where {@code pid} is positive, then a summary line.
     *
     * @return the requests answered per second
     */
    public double load(int clients, int requests, int warmUp, long pid) throws Exception {
        for (int i = 0; i < warmUp; i++) {
            send(Duration.ofSeconds(120));
        }
        long[] passesBefore = passes();
        int total = clients * requests;
        AtomicInteger done = new AtomicInteger();
        Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        long[] latencies = new long[total];
        List<long[]> memory = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                running.add(pool.submit(() -> {
                    for (int i = 0; i < requests; i++) {
                        long t = System.nanoTime();
                        int status;
                        try {
                            status = send(Duration.ofSeconds(120)).statusCode();
                        } catch (IOException e) {
                            status = -1;
                        }
                        int n = done.incrementAndGet();
                        latencies[n - 1] = System.nanoTime() - t;
                        statuses.computeIfAbsent(status, k -> new AtomicInteger()).incrementAndGet();
                        if (pid > 0 && n % requests == 0) {
                            synchronized (memory) {
                                memory.add(new long[] {n, residentKb(pid)});
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (!memory.isEmpty()) {
            out.println("| answers | server RSS MB |");
            out.println("|---|---|");
            memory.sort((a, b) -> Long.compare(a[0], b[0]));
            for (long[] m : memory) {
                out.printf(Locale.ROOT, "| %d | %.1f |%n", m[0], m[1] / 1024.0);
            }
            long first = memory.get(0)[1];
            long last = memory.get(memory.size() - 1)[1];
            out.printf(Locale.ROOT, "RSS after the last %d answers / after the first %d: %.3f%n", requests, requests,
                    (double) last / first);
        }
        long[] passesAfter = passes();
        if (passesBefore != null && passesAfter != null && passesAfter[0] > passesBefore[0]) {
            out.printf(Locale.ROOT, "%d forward passes, %.2f faces per pass%n", passesAfter[0] - passesBefore[0],
                    (double) (passesAfter[1] - passesBefore[1]) / (passesAfter[0] - passesBefore[0]));
        }
        Arrays.sort(latencies);
        out.printf(Locale.ROOT, "%d clients x %d requests to %s: %.1f s, %.2f requests/s; statuses %s; latency"
                + " median %.2f s, 95th percentile %.2f s, max %.2f s%n", clients, requests, uri, seconds,
                total / seconds, new TreeMap<>(statuses), latencies[total / 2] / 1e9,
                latencies[(int) Math.min(total - 1, Math.ceil(total * 0.95) - 1)] / 1e9, latencies[total - 1] / 1e9);
        out.flush();
        return total / seconds;
    }

    /**
     * Loads {@code baseline} and this endpoint in turns, {@code rounds} times each, so that both meet the same minutes
     * of a machine whose speed drifts; then a Markdown table of their requests per second and their ratio per round,
     * and the median ratio.
     */
    public void compare(ServeLoad baseline, int rounds, int clients, int requests, int warmUp) throws Exception {
        double[][] rates = new double[rounds][];
        for (int r = 0; r < rounds; r++) {
            int w = r == 0 ? warmUp : 0;
            rates[r] = new double[] {baseline.load(clients, requests, w, 0), load(clients, requests, w, 0)};
        }
        out.printf("| round | %s, requests/s | %s, requests/s | ratio |%n|---|---|---|---|%n", baseline.uri, uri);
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            ratios[r] = rates[r][1] / rates[r][0];
            out.printf(Locale.ROOT, "| %d | %.2f | %.2f | %.2f |%n", r + 1, rates[r][0], rates[r][1], ratios[r]);
        }
        Arrays.sort(ratios);
        double median = rounds % 2 == 1 ? ratios[rounds / 2] : (ratios[rounds / 2 - 1] + ratios[rounds / 2]) / 2;
        out.printf(Locale.ROOT, "%s over %s: median %.2fx, %.2f-%.2fx over %d rounds%n", uri, baseline.uri, median,
                ratios[0], ratios[rounds - 1], rounds);
        out.flush();
    }

    private HttpResponse<byte[]> send(Duration timeout) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).timeout(timeout).header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /**
     * The server's forward passes and the faces they took so far, from its {@code /health}; null where it does not
     * say (a server without batching, or another one).
     */
    private long[] passes() {
        try {
            HttpResponse<byte[]> r = client.send(HttpRequest.newBuilder(uri.resolve("/health"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode batching = new ObjectMapper().readTree(r.body()).path("batching");
            return r.statusCode() == 200 && batching.has("passes")
                    ? new long[] {batching.get("passes").asLong(), batching.get("faces").asLong()} : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** VmRSS of a process, in kB (Linux). */
    static long residentKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the memory of process " + pid + ": " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("no VmRSS for process " + pid);
    }
}
