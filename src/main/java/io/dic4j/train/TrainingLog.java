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
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * The run's metrics as JSON lines ({@code {"type":"train","step":…}} and {@code {"type":"val",…}}), appended and
 * flushed as they come, and the loss and validation curves redrawn as a PNG after each validation.
 */
final class TrainingLog implements AutoCloseable {

    static final String TRAIN = "train";
    static final String VAL = "val";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path curves;
    private final String curveMetric;
    private final List<JsonNode> lines = new ArrayList<>();
    private final BufferedWriter out;

    /**
     * Opens the log; lines past {@code resumedStep} (written after the checkpoint a run resumes from) are dropped.
     *
     * @param curveMetric the validation score plotted beside the loss
     */
    TrainingLog(Path jsonl, Path curves, String curveMetric, long resumedStep) throws IOException {
        this.curves = curves;
        this.curveMetric = curveMetric;
        if (resumedStep > 0 && Files.exists(jsonl)) {
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
        ObjectNode n = line(TRAIN, step);
        n.put("lr", lr);
        values.forEach(n::put);
        n.put("seconds_per_step", secondsPerStep);
        write(n);
    }

    void validation(long step, Map<String, Double> scores) throws IOException {
        ObjectNode n = line(VAL, step);
        scores.forEach(n::put);
        write(n);
        drawCurves();
    }

    private static ObjectNode line(String type, long step) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", type);
        n.put("step", step);
        return n;
    }

    private void write(ObjectNode n) throws IOException {
        lines.add(n);
        out.write(JSON.writeValueAsString(n));
        out.newLine();
        out.flush();
    }

    /** Training loss and the validation score against the step, side by side. */
    void drawCurves() throws IOException {
        List<Chart<?, ?>> charts = new ArrayList<>();
        XYChart loss = chart("training loss", Trainer.TOTAL);
        if (addSeries(loss, TRAIN, Trainer.TOTAL)) {
            charts.add(loss);
        }
        XYChart score = chart("validation " + curveMetric, curveMetric);
        if (addSeries(score, VAL, curveMetric)) {
            charts.add(score);
        }
        if (charts.isEmpty()) {
            return;
        }
        Path tmp = curves.resolveSibling("." + curves.getFileName());
        BitmapEncoder.saveBitmap(charts, 1, charts.size(), tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
        Files.move(tmp, curves, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static XYChart chart(String title, String y) {
        XYChart c = new XYChartBuilder().width(560).height(380).title(title).xAxisTitle("step").yAxisTitle(y).build();
        c.getStyler().setLegendVisible(false);
        c.getStyler().setMarkerSize(3);
        return c;
    }

    /** Adds the series of one key; false when it has no point. */
    private boolean addSeries(XYChart chart, String type, String key) {
        List<Double> x = new ArrayList<>();
        List<Double> y = new ArrayList<>();
        for (JsonNode n : lines) {
            if (n.get("type").asText().equals(type) && n.has(key)) {
                x.add(n.get("step").asDouble());
                y.add(n.get(key).asDouble());
            }
        }
        if (!x.isEmpty()) {
            chart.addSeries(key, x, y);
        }
        return !x.isEmpty();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
