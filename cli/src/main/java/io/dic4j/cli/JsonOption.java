package io.dic4j.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** {@code --json}: a picocli mixin of the commands whose results scripts read. */
final class JsonOption {

    /** The option's name, which the parse-error handler looks for before any command has parsed its options. */
    static final String NAME = "--json";

    @Option(names = NAME, description = "At the end, print one JSON object on stdout instead of the prose summary:"
            + " inputs, written, failed (each with its reason), seconds, faces/s and the exit code.")
    boolean json;

    RunReport report(CommandSpec spec) {
        return new RunReport(spec, json);
    }
}
