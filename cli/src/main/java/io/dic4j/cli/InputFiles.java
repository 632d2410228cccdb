package io.dic4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The files named on a command line: files as given, folders expanded to their files (sorted). */
final class InputFiles {

    /** @param missing inputs that do not exist or cannot be listed, each already reported */
    record Expanded(List<Path> files, int missing) {}

    private InputFiles() {}

    static Expanded expand(List<Path> inputs, PrintWriter err) {
        List<Path> files = new ArrayList<>();
        int missing = 0;
        for (Path in : inputs) {
            if (Files.isDirectory(in)) {
                try (Stream<Path> s = Files.list(in)) {
                    s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                            .sorted().forEach(files::add);
                } catch (IOException e) {
                    err.println("error: " + in + ": cannot list the folder (" + e.getMessage() + ")");
                    missing++;
                }
            } else if (Files.isRegularFile(in)) {
                files.add(in);
            } else {
                err.println("error: " + in + ": no such file or folder");
                missing++;
            }
        }
        return new Expanded(files, missing);
    }
}
