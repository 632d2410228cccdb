package io.dic4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dic4j.testing.Fixtures;
import io.dic4j.testing.Pngs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code dic4j serve}: it says where it listens, answers there, and stops cleanly; bad options are usage errors. */
class ServeCommandTest {

    private static final Pattern LISTENING = Pattern.compile("listening on (http://[^ ]+:\\d+)");

    @Test
    void servesUntilStopped() throws Exception {
        ServeCommand serve = new ServeCommand();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(serve);
        cli.setErr(new PrintWriter(err, true));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute(
                "--model", Fixtures.path("dic_small_ckp.pth").toString(), "--port", "0"));
        String url = null;
        for (int i = 0; i < 600 && url == null; i++) {
            Matcher m = LISTENING.matcher(err.toString());
            if (m.find()) {
                url = m.group(1);
            } else {
                assertTrue(!exit.isDone(), "serve ended early: " + err);
                Thread.sleep(50);
            }
        }
        assertTrue(url != null, "no 'listening on' line in: " + err);
        HttpResponse<String> health = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(url + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
        assertTrue(health.body().contains("\"status\":\"ok\""), health.body());
        // serve's own pixel limit holds for request bodies: a 413 naming the size, not 1.6 GB decoded
        HttpResponse<String> bomb = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url
                + "/upscale")).POST(HttpRequest.BodyPublishers.ofByteArray(Pngs.black(20000, 20000))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(413, bomb.statusCode(), bomb.body());
        assertTrue(bomb.body().contains("request body: 20000x20000 is 400,000,000 pixels, over the limit of"
                + " 16,777,216"), bomb.body());
        serve.stop.countDown();
        assertEquals(0, exit.get(30, TimeUnit.SECONDS));
        assertTrue(err.toString().contains("serve: stopped"), err.toString());
    }

    @Test
    void badOptionsAreUsageErrors() {
        UpscaleCommandTest.Run r = UpscaleCommandTest.run("serve", "--options", "x.json");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.err().contains("--options gives the shape of the network in --model"), r.err());
        r = UpscaleCommandTest.run("serve", "--port", "70000");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.err().contains("--port must be 0..65535"), r.err());
        r = UpscaleCommandTest.run("serve", "--max-in-flight", "0");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.err().contains("--max-in-flight"), r.err());
        r = UpscaleCommandTest.run("serve", "--max-batch", "0");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.err().contains("--max-batch must be positive"), r.err());
        r = UpscaleCommandTest.run("serve", "--model", "no-such.pth", "--port", "0");
        assertEquals(ExitCodes.USAGE, r.exitCode());
        assertTrue(r.err().contains("no-such.pth: no such file"), r.err());
    }
}
