package io.dic4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** Progress as plain lines (no console): every tenth or every 10 s, with count, rate and time left; empty: nothing. */
class ProgressTest {

    /** A clock the test moves by hand, so that rates and times left are exact. */
    private static final class Clock {
        long nanos;

        long read() {
            return nanos;
        }

        void advance(long seconds) {
            nanos += TimeUnit.SECONDS.toNanos(seconds);
        }
    }

    /** What a task of {@code total} shows as lines while {@code work} steps it and moves the clock. */
    private static String lines(String task, String unit, long total, BiConsumer<Progress, Clock> work) {
        StringWriter out = new StringWriter();
        Clock clock = new Clock();
        try (Progress p = Progress.start(Progress.Display.LINES, task, unit, total, new PrintWriter(out, true),
                clock::read)) {
            work.accept(p, clock);
        }
        return out.toString();
    }

    @Test
    void aLineEveryTenthWithCountRateAndTimeLeft() {
        String shown = lines("upscale", "faces", 20, (p, clock) -> {
            for (int i = 0; i < 20; i++) {
                clock.advance(1);
                p.stepBy(1);
            }
        });
        List<String> lines = shown.lines().toList();
        assertEquals(10, lines.size(), shown);
        assertEquals("upscale: 2/20 faces (10%), 1.00 faces/s, 0:00:18 left", lines.get(0));
        assertEquals("upscale: 20/20 faces (100%), 1.00 faces/s, 0:00:00 left", lines.get(9));
        assertEquals(-1, shown.indexOf('\r'));
    }

    @Test
    void aLineEveryTenSecondsBetweenTenthsWithWhatTheTaskAdds() {
        String shown = lines("train", "steps", 1000, (p, clock) -> {
            p.setExtra("l1 0.1000");
            clock.advance(4);
            p.stepBy(2);
            clock.advance(8);
            p.stepBy(2);
        });
        assertEquals("train: 4/1000 steps (0%), 0.33 steps/s, 0:49:48 left; l1 0.1000", shown.strip());
    }

    @Test
    void nothingToDoOrProgressOffShowsNothing() {
        assertEquals("", lines("upscale", "faces", 0, (p, clock) -> p.stepBy(0)));
        StringWriter out = new StringWriter();
        try (Progress p = Progress.start(Progress.Display.NONE, "upscale", "faces", 3, 0, new PrintWriter(out))) {
            p.stepBy(3);
        }
        assertEquals("", out.toString());
    }
}
