package io.dic4j.cli;

import java.io.PrintWriter;
import java.text.DecimalFormat;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * How far a counted task is, on stderr (stdout stays for results): a bar where a person watches; elsewhere (a log
 * file, a pipe, CI) a plain line every 10% or every 10 s with the count, the rate and the time left, because a bar
 * redraws itself with carriage returns that a log keeps as dozens of frames on one line. Nothing is shown when
 * progress is turned off or when there is nothing to do.
 */
final class Progress implements AutoCloseable {

    /** How progress is shown. */
    enum Display {
        BAR, LINES, NONE;

        /**
         * A bar on a console, lines elsewhere, nothing when {@code off}. Java has a console only while both stdin
         * and stdout are terminals, so a redirected run ({@code > log 2>&1}, nohup, CI) gets lines.
         */
        static Display choose(boolean off) {
            return off ? NONE : System.console() != null ? BAR : LINES;
        }
    }

    static final long LINE_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final int LINES_PER_TASK = 10;

    private final String task;
    private final String unit;
    private final long total;
    private final long first;
    private final ProgressBar bar;
    private final PrintWriter lines;
    private final LongSupplier clock;
    private final long startNanos;
    private long done;
    private long lastLineNanos;
    private long lastLineTenth;
    private String extra = "";

    private Progress(Display display, String task, String unit, long total, long done, PrintWriter err,
            LongSupplier clock) {
        this.task = task;
        this.unit = unit;
        this.total = total;
        this.first = done;
        this.done = done;
        this.clock = clock;
        Display shown = total > 0 ? display : Display.NONE;
        this.bar = shown == Display.BAR ? new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(System.err))
                .setUnit(" " + unit, 1).showSpeed(new DecimalFormat("0.00")).continuousUpdate()
                .startsFrom(done, Duration.ZERO).build() : null;
        this.lines = shown == Display.LINES ? err : null;
        this.startNanos = clock.getAsLong();
        this.lastLineNanos = startNanos;
        this.lastLineTenth = tenth(done);
    }

    /**
     * @param task what is counted, as the line or bar names it (e.g. the command)
     * @param unit the counted things, plural (faces, steps)
     * @param total how many there are; 0 shows nothing
     * @param done how many were done before (a resumed run), from which the rate is measured
     * @param err where lines go
     */
    static Progress start(Display display, String task, String unit, long total, long done, PrintWriter err) {
        return new Progress(display, task, unit, total, done, err, System::nanoTime);
    }

    /** As {@link #start}, timed by {@code clock} (nanoseconds), so that the 10 s lines can be tested. */
    static Progress start(Display display, String task, String unit, long total, PrintWriter err,
            LongSupplier clock) {
        return new Progress(display, task, unit, total, 0, err, clock);
    }

    void stepBy(long n) {
        stepTo(done + n);
    }

    void stepTo(long count) {
        done = count;
        if (bar != null) {
            bar.stepTo(count);
        } else if (lines != null) {
            long now = clock.getAsLong();
            if (tenth(count) > lastLineTenth || now - lastLineNanos >= LINE_INTERVAL_NANOS) {
                lastLineTenth = tenth(count);
                lastLineNanos = now;
                lines.println(line(now));
            }
        }
    }

    /** What the task adds to its count (e.g. the latest losses); shown from the next step on. */
    void setExtra(String message) {
        extra = message;
        if (bar != null) {
            bar.setExtraMessage(message);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }

    private long tenth(long count) {
        return total == 0 ? 0 : count * LINES_PER_TASK / total;
    }

    /** e.g. {@code upscale: 120/1207 faces (9%), 3.10 faces/s, 0:05:50 left}. */
    private String line(long now) {
        double seconds = (now - startNanos) / 1e9;
        double rate = seconds > 0 ? (done - first) / seconds : 0;
        String left = rate > 0 ? clock(Math.round((total - done) / rate)) + " left" : "time left unknown";
        return String.format(Locale.ROOT, "%s: %d/%d %s (%d%%), %.2f %s/s, %s%s", task, done, total, unit,
                done * 100 / total, rate, unit, left, extra.isEmpty() ? "" : "; " + extra);
    }

    private static String clock(long seconds) {
        return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }
}
