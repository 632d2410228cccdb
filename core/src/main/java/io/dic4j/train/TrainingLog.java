package io.dic4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dic4j.util.AtomicFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The run's metrics as JSON lines ({@code {"type":"train","step":…}} and {@code {"type":"val",…}}), appended and
 * flushed as they come.
 */
final class TrainingLog implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BufferedWriter out;

    /** Opens the log; lines past {@code resumedStep} (written after the checkpoint a run resumes from) are dropped. */
    TrainingLog(Path jsonl, long resumedStep) throws IOException {
        if (resumedStep > 0 && Files.exists(jsonl)) {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = JSON.readTree(line);
                if (n.get("step").asLong() <= resumedStep) {
                    lines.add(n);
                }
            }
            AtomicFiles.write(jsonl, o -> {
                for (JsonNode n : lines) {
                    o.write((JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8));
                }
            });
        } else {
            Files.deleteIfExists(jsonl);
        }
        Files.createDirectories(jsonl.toAbsolutePath().getParent());
        out = Files.newBufferedWriter(jsonl, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    /** @param values the losses and other values of the step, by log name */
    void train(long step, double lr, Map<String, Float> values, double secondsPerStep) throws IOException {
        ObjectNode n = line(Trainer.TRAIN_LINE, step);
        n.put("lr", lr);
        values.forEach(n::put);
        n.put("seconds_per_step", secondsPerStep);
        write(n);
    }

    void validation(long step, Map<String, Double> scores) throws IOException {
        ObjectNode n = line(Trainer.VAL_LINE, step);
        scores.forEach(n::put);
        write(n);
    }

    private static ObjectNode line(String type, long step) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", type);
        n.put("step", step);
        return n;
    }

    private void write(ObjectNode n) throws IOException {
        out.write(JSON.writeValueAsString(n));
        out.newLine();
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
