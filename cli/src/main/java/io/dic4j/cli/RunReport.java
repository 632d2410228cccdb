package io.dic4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What a run over many inputs tells, for people and for scripts. Each input that fails is named on stderr as it
 * fails; at the end comes a prose line on stderr or, with {@code --json}, one JSON object on stdout with the same
 * facts: {@code command}, {@code exit_code}, {@code inputs}, {@code written}, {@code failed} (each input with its
 * reason), {@code seconds}, {@code faces_per_second} and what the command adds. A run that stops as a whole adds
 * {@code error}; a usage error (exit 2) gives only command, exit code and error, as picocli's own do.
 */
final class RunReport {

    static final ObjectMapper JSON = new ObjectMapper();

    private final String command;
    private final boolean json;
    private final PrintWriter out;
    private final PrintWriter err;
    private final long startNanos = System.nanoTime();
    private final ArrayNode failed = JSON.createArrayNode();
    private int inputs;
    private int written;

    RunReport(CommandSpec spec, boolean json) {
        this.command = spec.name();
        this.json = json;
        this.out = spec.commandLine().getOut();
        this.err = spec.commandLine().getErr();
    }

    void addInputs(int n) {
        inputs += n;
    }

    void addWritten(int n) {
        written += n;
    }

    /** An input that gave no output: named on stderr now, listed in the JSON at the end. */
    void fail(Path input, String reason) {
        err.println("error: " + input + ": " + reason);
        failed.addObject().put("input", input.toString()).put("reason", reason);
    }

    int written() {
        return written;
    }

    int failedCount() {
        return failed.size();
    }

    /** Seconds since the run started. */
    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** The command line or an option file is wrong and nothing was done; returns the exit code, 2. */
    int usageError(String message) {
        err.println("error: " + message);
        if (json) {
            printError(out, command, ExitCodes.USAGE, message);
        }
        return ExitCodes.USAGE;
    }

    /** The run stopped as a whole; returns the exit code, 1. */
    int failure(String message) {
        err.println("error: " + message);
        if (json) {
            print(summary(ExitCodes.FAILED).put("error", message));
        }
        return ExitCodes.FAILED;
    }

    /**
     * The run's end: {@code prose} on stderr, or the JSON summary with {@code details} added. Returns the exit code:
     * 1 if any input failed.
     */
    int finish(String prose, ObjectNode details) {
        int exitCode = failed.isEmpty() ? 0 : ExitCodes.FAILED;
        if (json) {
            print(summary(exitCode).setAll(details));
        } else {
            err.println(prose);
        }
        return exitCode;
    }

    /** The JSON object of an error found before the command ran or while it checked its options. */
    static void printError(PrintWriter out, String command, int exitCode, String message) {
        ObjectNode o = JSON.createObjectNode().put("command", command).put("exit_code", exitCode);
        out.println(o.put("error", message));
        out.flush();
    }

    /** {@code value}, or JSON's null where there is none or it is not a number (JSON has no NaN). */
    static void putNumber(ObjectNode node, String key, Double value) {
        if (value != null && Double.isFinite(value)) {
            node.put(key, value);
        } else {
            node.putNull(key);
        }
    }

    private ObjectNode summary(int exitCode) {
        ObjectNode o = JSON.createObjectNode().put("command", command).put("exit_code", exitCode)
                .put("inputs", inputs).put("written", written);
        o.set("failed", failed);
        double seconds = seconds();
        return o.put("seconds", seconds).put("faces_per_second", written / seconds);
    }

    private void print(ObjectNode summary) {
        out.println(summary);
        out.flush();
    }
}
