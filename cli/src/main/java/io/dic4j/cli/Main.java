package io.dic4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code dic4j}: face super-resolution (DIC, CVPR 2020) from the command line. */
@Command(
        name = "dic4j",
        mixinStandardHelpOptions = true,
        version = "dic4j 0.1.0",
        description = "Face super-resolution (DIC: 16x16 -> 128x128) on the JVM.",
        subcommands = {UpscaleCommand.class, TestCommand.class, TrainCommand.class, TrainLandmarksCommand.class,
            LandmarksCommand.class, EvalLandmarksCommand.class, BenchCommand.class, ServeCommand.class})
public final class Main implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
