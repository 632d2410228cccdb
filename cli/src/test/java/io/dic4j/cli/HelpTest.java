package io.dic4j.cli;

import static io.dic4j.cli.UpscaleCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.pytorch.engine.PtEngine;
import io.dic4j.weights.BuiltInModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** What a newcomer reads first: the help of dic4j and of each command, and --version. */
class HelpTest {

    /** The lines of a help section, from its heading to the next blank line. */
    private static List<String> section(String help, String heading) {
        List<String> lines = help.lines().toList();
        int start = lines.indexOf(heading);
        assertTrue(start >= 0, "no '" + heading + "' in:\n" + help);
        List<String> section = new ArrayList<>();
        for (int i = start + 1; i < lines.size() && !lines.get(i).isBlank(); i++) {
            section.add(lines.get(i));
        }
        return section;
    }

    @Test
    void theCommandListGivesEachCommandOneCompleteSentence() {
        UpscaleCommandTest.Run r = run("--help");
        assertEquals(0, r.exitCode(), r.err());
        List<String> names = new ArrayList<>();
        for (String line : section(r.out(), "Commands:")) {
            // one line per command (a summary that wraps would continue on an indented line of its own)
            assertTrue(line.matches("  [a-z-]+ +[A-Z].*\\."), "not one full sentence on one line: '" + line + "'");
            names.add(line.strip().split(" ")[0]);
        }
        assertEquals(List.copyOf(Main.commandLine().getSubcommands().keySet()), names);
    }

    @Test
    void theTopLevelHelpHasTheExitCodes() {
        List<String> codes = section(run("--help").out(), "Exit codes (the same for every command):");
        assertEquals(3, codes.size(), codes.toString());
        assertTrue(codes.get(0).matches("  0 +Success\\."), codes.get(0));
        assertTrue(codes.get(1).matches("  " + ExitCodes.FAILED + " +Some inputs failed.*"), codes.get(1));
        assertTrue(codes.get(2).matches("  " + ExitCodes.USAGE + " +Usage error.*"), codes.get(2));
    }

    @Test
    void everyCommandHasASummaryParagraphsAndExamples() {
        Map<String, CommandLine> commands = Main.commandLine().getSubcommands();
        for (Map.Entry<String, CommandLine> c : commands.entrySet()) {
            String name = c.getKey();
            CommandLine.Model.UsageMessageSpec usage = c.getValue().getCommandSpec().usageMessage();
            assertEquals(1, usage.header().length, name);
            assertTrue(usage.header()[0].endsWith(".") && usage.header()[0].indexOf(". ") < 0,
                    name + ": the summary is one sentence: " + usage.header()[0]);
            for (String paragraph : usage.description()) {
                // picocli wraps each paragraph itself; a paragraph cut short is a hard line break in the text
                assertTrue(paragraph.isEmpty() || paragraph.endsWith("."), name + ": '" + paragraph + "'");
            }
            UpscaleCommandTest.Run r = run(name, "--help");
            assertEquals(0, r.exitCode(), name + ": " + r.err());
            List<String> examples = section(r.out(), "Examples:");
            assertTrue(examples.stream().anyMatch(l -> l.contains("dic4j " + name)), name + ": " + examples);
            for (String line : examples) {
                // an example longer than the help's width would wrap onto an unindented line
                assertTrue(line.startsWith("  "), name + ": an example wrapped: '" + line + "'");
            }
        }
    }

    @Test
    void versionNamesDic4jTheEngineTheNativeLibraryAndTheBuiltInModel() {
        for (String[] args : List.of(new String[] {"--version"}, new String[] {"upscale", "--version"})) {
            UpscaleCommandTest.Run r = run(args);
            assertEquals(0, r.exitCode(), r.err());
            List<String> lines = r.out().lines().toList();
            assertEquals(3, lines.size(), r.out());
            assertTrue(lines.get(0).matches("dic4j \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), lines.get(0));
            String engine = "DJL " + Engine.getDjlVersion() + ", PyTorch "
                    + Engine.getEngine(PtEngine.ENGINE_NAME).getVersion();
            assertTrue(lines.get(1).matches(engine.replace(".", "\\.") + " \\((cpu|cu\\d+)\\), native library in .+"),
                    lines.get(1));
            assertTrue(lines.get(2).matches("built-in model " + BuiltInModel.NAME
                    + ": \\d+\\.\\d\\d M weights \\(\\d+\\.\\d MB as float32\\)"), lines.get(2));
        }
    }
}
