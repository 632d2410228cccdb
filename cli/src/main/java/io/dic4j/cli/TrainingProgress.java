package io.dic4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dic4j.train.Trainer;
import io.dic4j.train.TrainingListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * How {@code dic4j train} shows a run: its {@link Progress} with the step's losses, and {@link #CURVES} in the output
 * folder, the training loss and the validation score against the step, redrawn after each validation from the run's
 * log.
 */
final class TrainingProgress implements TrainingListener {

    static final String CURVES = "curves.png";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Progress.Display display;
    private final PrintWriter err;
    private final String metric;
    private final Path curves;
    private Progress progress;

    /**
     * @param display how the progress is shown
     * @param err where progress lines go
     * @param metric the validation score plotted beside the loss
     * @param curves the PNG to draw
     */
    TrainingProgress(Progress.Display display, PrintWriter err, String metric, Path curves) {
        this.display = display;
        this.err = err;
        this.metric = metric;
        this.curves = curves;
    }

    @Override
    public void started(long step, long iterations) {
        progress = Progress.start(display, "train", "steps", iterations, step, err);
    }

    @Override
    public void stepped(long step, double learningRate, Map<String, Float> logged) {
        StringBuilder b = new StringBuilder();
        logged.forEach((k, v) -> b.append(k.replace("loss_", "")).append(' ')
                .append(String.format(Locale.ROOT, "%.4f", v)).append(", "));
        progress.setExtra(b.append(String.format(Locale.ROOT, "lr %.1e", learningRate)).toString());
        progress.stepTo(step);
    }

    @Override
    public void validated(long step, Map<String, Double> scores, Path log) {
        try {
            draw(Files.readAllLines(log, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not draw " + curves, e);
        }
    }

    @Override
    public void finished() {
        if (progress != null) {
            progress.close();
        }
    }

    /** Training loss and the validation score against the step, side by side. */
    private void draw(List<String> logLines) throws IOException {
        List<JsonNode> lines = new ArrayList<>();
        for (String l : logLines) {
            if (!l.isBlank()) {
                lines.add(JSON.readTree(l));
            }
        }
        List<Chart<?, ?>> charts = new ArrayList<>();
        XYChart loss = chart("training loss", Trainer.TOTAL);
        if (addSeries(loss, lines, Trainer.TRAIN_LINE, Trainer.TOTAL)) {
            charts.add(loss);
        }
        XYChart score = chart("validation " + metric, metric);
        if (addSeries(score, lines, Trainer.VAL_LINE, metric)) {
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
    private static boolean addSeries(XYChart chart, List<JsonNode> lines, String type, String key) {
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
}
