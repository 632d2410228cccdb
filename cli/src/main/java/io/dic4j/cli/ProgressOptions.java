package io.dic4j.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** {@code -q/--quiet}: a picocli mixin of the commands that show their progress. */
final class ProgressOptions {

    @Option(names = {"-q", "--quiet"},
            description = "Show no progress; errors, warnings and the summary are still printed.")
    boolean quiet;

    /** The display chosen for this run: none when quiet, else a bar on a terminal and plain lines elsewhere. */
    Progress.Display display() {
        return Progress.Display.choose(quiet);
    }

    /** Progress over {@code total} {@code unit} of {@code task}, shown on {@code err} as {@link #display()} says. */
    Progress start(String task, String unit, long total, PrintWriter err) {
        return Progress.start(display(), task, unit, total, 0, err);
    }
}
