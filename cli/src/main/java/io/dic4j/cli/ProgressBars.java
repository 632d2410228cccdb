package io.dic4j.cli;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The one look of dic4j's progress bars: ASCII, on stderr (stdout stays for results). */
public final class ProgressBars {

    private ProgressBars() {}

    /** A bar for {@code max} units of {@code task}; callers add what else they show, then build. */
    public static ProgressBarBuilder of(String task, long max) {
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(System.err));
    }
}
