package io.dic4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import io.dic4j.infer.Precision;
import io.dic4j.model.DicNet;
import io.dic4j.testing.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The harness's table on the small DIC: one row per measurement, each with consistent numbers; the ceiling's row
 * (last) is made of the samples taken before each of the 2 × 3 timed runs.
 */
class BenchmarkTest {

    private static final Pattern ROW = Pattern.compile(
            "\\| ([^|]+) \\| ([\\d.]+) \\| ([\\d.]+) \\| ([\\d.]+) \\| ([\\d.]*) \\| ([\\d.]+) \\| (\\d+)% \\| ([\\d.]+) \\|");

    @Test
    void tableHasTheCeilingInferenceAndTrainingRows() throws Exception {
        StringWriter text = new StringWriter();
        new Benchmark(Fixtures.SMALL, 2, false, new PrintWriter(text)).run(List.of(Precision.FP32, Precision.BF16),
                List.of(1, 2), List.of(1));
        Matcher m = ROW.matcher(text.toString());
        String[] expected = {"inference, batch 1", "inference, batch 2", "inference, batch 1, bf16",
            "inference, batch 2, bf16", "training step, batch 1",
            "ceiling: conv 3x3 128->128 on 128x128, before each run"};
        for (String what : expected) {
            assertTrue(m.find(), "no row for " + what + " in\n" + text);
            assertEquals(what, m.group(1));
            double median = Double.parseDouble(m.group(2));
            double min = Double.parseDouble(m.group(3));
            double max = Double.parseDouble(m.group(4));
            assertTrue(min > 0 && min <= median && median <= max, what + ": min ≤ median ≤ max");
            if (what.startsWith("ceiling")) {
                assertEquals("100", m.group(7));
                // 2·128²·128²·9 FLOP in the median time
                assertEquals(2.0 * 128 * 128 * 128 * 128 * 9 / median / 1e9, Double.parseDouble(m.group(6)),
                        0.05 * Double.parseDouble(m.group(6)));
            } else {
                Matcher batchOf = Pattern.compile("batch (\\d+)").matcher(what);
                assertTrue(batchOf.find());
                int batch = Integer.parseInt(batchOf.group(1));
                assertEquals(median / batch, Double.parseDouble(m.group(5)), 0.0015, what + ": per face");
                assertTrue(Integer.parseInt(m.group(7)) > 0, what + ": a fraction of the ceiling");
            }
            assertTrue(Double.parseDouble(m.group(8)) > 0, what + ": peak RSS");
        }
        // the small DIC's forward as its blocks count it from their shapes (ConvLayerMacsTest checks the count)
        Matcher macs = Pattern.compile("forward: ([\\d.]+) GMAC per face").matcher(text.toString());
        assertTrue(macs.find());
        assertEquals(smallDicMacs() / 1e9, Double.parseDouble(macs.group(1)), 0.005);
    }

    private static long smallDicMacs() {
        return DicNet.builder().setConfig(Fixtures.SMALL).build().macs(new Shape(1, 3, 16, 16));
    }
}
