package io.dic4j.cli;

import io.dic4j.infer.Nnpack;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import picocli.AutoComplete.GenerateCompletion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Spec;

/** {@code dic4j}: face super-resolution (DIC, CVPR 2020) from the command line. */
@Command(
        name = "dic4j",
        mixinStandardHelpOptions = true,
        versionProvider = VersionInfo.class,
        header = "Face super-resolution (DIC, CVPR 2020) on the JVM.",
        description = "Super-resolves small faces 8x, from 16x16 to 128x128, with DIC on DJL and PyTorch; scores"
                + " models as the paper does, and trains them. The built-in model, dic4j-faces300w, is the default"
                + " of every command. Each command's --help describes it, with examples.",
        subcommands = {UpscaleCommand.class, EnhanceCommand.class, TestCommand.class, TrainCommand.class, TrainLandmarksCommand.class,
            LandmarksCommand.class, EvalLandmarksCommand.class, BenchCommand.class, ServeCommand.class,
            LoadTestCommand.class, GenerateCompletion.class},
        exitCodeListHeading = "%nExit codes (the same for every command):%n",
        exitCodeList = {
            "0:Success.",
            ExitCodes.FAILED + ":Some inputs failed (each is named on stderr), or the work did.",
            ExitCodes.USAGE + ":Usage error: a wrong command line or option file; nothing was done."
        },
        footerHeading = Main.EXAMPLES_HEADING,
        footer = {
            "  dic4j upscale examples/astronaut_lr.png -o out/ --compare",
            "  dic4j upscale --help",
            "  source <(dic4j generate-completion)"
        })
public final class Main implements Runnable {

    /** The heading of every command's examples, the footer of its help. */
    static final String EXAMPLES_HEADING = "%nExamples:%n";

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        // dic4j runs offline: DJL would otherwise ask the EC2 metadata address for its usage tracking once per
        // process (the user's own settings win)
        if (System.getenv("OPT_OUT_TRACKING") == null && System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
        System.exit(commandLine().execute(args));
    }

    /**
     * The command line as dic4j runs: every command answers --version; the completion script's help reads as the
     * others'; with --json, a command line picocli rejects is also a JSON error object on stdout; and libtorch is
     * set up before a command runs a network.
     */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        CommandSpec main = cli.getCommandSpec();
        cli.getSubcommands().get("generate-completion").getCommandSpec().usageMessage()
                .header("Prints a bash/zsh completion script for dic4j.")
                .description("Prints a script that completes dic4j's commands and options on TAB in bash and zsh:"
                        + " source it in a shell, or install it as a completion file.")
                .footerHeading(EXAMPLES_HEADING)
                .footer("  source <(dic4j generate-completion)",
                        "  dic4j generate-completion > ~/.local/share/bash-completion/completions/dic4j");
        layOut(main);
        cli.getSubcommands().values().forEach(sub -> {
            sub.getCommandSpec().versionProvider(main.versionProvider());
            layOut(sub.getCommandSpec());
        });
        IParameterExceptionHandler standard = cli.getParameterExceptionHandler();
        cli.setParameterExceptionHandler((e, args) -> {
            int exitCode = standard.handleParseException(e, args);
            if (Arrays.asList(args).contains(JsonOption.NAME)) {
                RunReport.printError(e.getCommandLine().getOut(), e.getCommandLine().getCommandName(), exitCode,
                        e.getMessage());
            }
            return exitCode;
        });
        cli.setExecutionStrategy(parsed -> {
            Integer helpExitCode = CommandLine.executeHelpRequest(parsed);
            if (helpExitCode != null) {
                return helpExitCode;
            }
            List<CommandLine> commands = parsed.asCommandLineList();
            Object command = commands.get(commands.size() - 1).getCommand();
            // usage and the completion script run no network, and need not wait for libtorch to start
            if (!(command instanceof Main || command instanceof GenerateCompletion)) {
                Nnpack.offWhereUnsupported();
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        return cli;
    }

    /** One layout for every command's help: its sections and the paragraphs of its description a blank line apart. */
    private static void layOut(CommandSpec command) {
        UsageMessageSpec usage = command.usageMessage();
        List<String> paragraphs = new ArrayList<>();
        for (String paragraph : usage.description()) {
            if (!paragraphs.isEmpty()) {
                paragraphs.add("");
            }
            paragraphs.add(paragraph);
        }
        usage.description(paragraphs.toArray(String[]::new)).synopsisHeading("%nUsage: ").descriptionHeading("%n")
                .parameterListHeading("%nParameters:%n").optionListHeading("%nOptions:%n")
                .commandListHeading("%nCommands:%n");
    }
}
