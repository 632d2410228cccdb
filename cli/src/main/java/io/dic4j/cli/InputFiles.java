package io.dic4j.cli;

import io.dic4j.util.FileNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The files named on a command line: files as given, folders expanded to their files (sorted). An input that gives
 * no file (missing, or a folder without images) is a failed input: a run that finds nothing to do is not a success.
 */
final class InputFiles {

    private InputFiles() {}

    /**
     * The files; an input that does not exist, cannot be listed or is a folder without a file that {@code inFolders}
     * takes is counted as an input of the report and failed there. The files returned are not counted yet.
     *
     * @param inFolders which of a folder's (visible, regular) files are inputs; files named on the command line
     *     always are
     */
    static List<Path> expand(List<Path> inputs, RunReport report, Predicate<Path> inFolders) {
        List<Path> files = new ArrayList<>();
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                try (Stream<Path> s = Files.list(in)) {
                    List<Path> listed = s.filter(Files::isRegularFile)
                            .filter(p -> !p.getFileName().toString().startsWith(".")).filter(inFolders).sorted()
                            .toList();
                    if (listed.isEmpty()) {
                        missing(report, in, "the folder holds no images");
                    }
                    files.addAll(listed);
                } catch (IOException e) {
                    missing(report, in, "cannot list the folder (" + e.getMessage() + ")");
                }
            } else if (Files.isRegularFile(in)) {
                files.add(in);
            } else {
                missing(report, in, "no such file or folder");
            }
        }
        return files;
    }

    /**
     * The files whose outputs, named {@code <stem>.png}, do not clash with an earlier file's; each clashing one is
     * failed in the report.
     */
    static List<Path> uniqueStems(List<Path> files, RunReport report) {
        Map<String, Path> names = new HashMap<>();
        List<Path> accepted = new ArrayList<>();
        for (Path file : files) {
            Path previous = names.putIfAbsent(FileNames.stem(file), file);
            if (previous != null) {
                report.fail(file, "its output name " + FileNames.stem(file) + ".png is taken by " + previous);
            } else {
                accepted.add(file);
            }
        }
        return accepted;
    }

    private static void missing(RunReport report, Path in, String reason) {
        report.addInputs(1);
        report.fail(in, reason);
    }
}
