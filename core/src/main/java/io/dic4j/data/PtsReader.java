package io.dic4j.data;

import io.dic4j.util.FileNames;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * 300-W landmark files ({@code NAME.pts} beside {@code NAME.jpg}), with or without their
 * {@code version / n_points / { … }} header, and the optional {@code image,xmin,ymin,xmax,ymax} box CSV.
 * 300-W coordinates are 1-based (MATLAB); they are shifted to 0-based pixel centres here.
 */
final class PtsReader {

    static final String CSV_HEADER = "image,xmin,ymin,xmax,ymax";

    private PtsReader() {}

    /** The points of one {@code .pts} file, 0-based. */
    static double[][] readPoints(Path pts) throws IOException {
        List<String> lines = lines(pts);
        int declared = -1;
        boolean inBody = lines.stream().noneMatch(l -> l.trim().equals("{"));
        List<double[]> points = new ArrayList<>();
        int closedAt = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            int lineNo = i + 1;
            if (line.isEmpty()) {
                continue;
            }
            if (!inBody) {
                if (line.equals("{")) {
                    inBody = true;
                } else if (line.startsWith("n_points:")) {
                    declared = parseInt(pts, lineNo, line.substring("n_points:".length()).trim());
                } else if (!line.startsWith("version:")) {
                    throw new AnnotationException(pts, lineNo, "unexpected header line '" + line + "'");
                }
            } else if (line.equals("}")) {
                closedAt = lineNo;
                inBody = false;
            } else if (closedAt > 0) {
                throw new AnnotationException(pts, lineNo, "text after the closing '}'");
            } else {
                String[] xy = line.split("\\s+");
                if (xy.length != 2) {
                    throw new AnnotationException(pts, lineNo, "expected 'x y', found '" + line + "'");
                }
                points.add(new double[] {parse(pts, lineNo, xy[0]) - 1, parse(pts, lineNo, xy[1]) - 1});
            }
        }
        if (declared >= 0 && points.size() != declared) {
            throw new AnnotationException(pts, 0, "has " + points.size() + " points, its header says n_points: "
                    + declared);
        }
        if (points.isEmpty()) {
            throw new AnnotationException(pts, 0, "no points");
        }
        return points.toArray(double[][]::new);
    }

    /** Every image of {@code dir} with a {@code .pts} beside it; boxes from {@code csv}, else around the points. */
    static List<FaceRecord> read(Path dir, Path csv) throws IOException {
        List<FaceRecord> records = new ArrayList<>();
        if (csv != null) {
            List<String> lines = lines(csv);
            if (lines.isEmpty() || !lines.get(0).trim().equals(CSV_HEADER)) {
                throw new AnnotationException(csv, 1, "expected the header '" + CSV_HEADER + "'");
            }
            for (int i = 1; i < lines.size(); i++) {
                String line = lines.get(i).trim();
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = line.split(",");
                if (f.length != 5) {
                    throw new AnnotationException(csv, i + 1, "expected 5 fields (" + CSV_HEADER + "), found "
                            + f.length);
                }
                FaceBox box;
                try {
                    box = new FaceBox(parseInt(csv, i + 1, f[1]), parseInt(csv, i + 1, f[2]),
                            parseInt(csv, i + 1, f[3]), parseInt(csv, i + 1, f[4]));
                } catch (IllegalArgumentException e) {
                    throw new AnnotationException(csv, i + 1, e.getMessage());
                }
                Path image = resolve(dir, f[0].trim(), csv, i + 1);
                Path pts = image.resolveSibling(FileNames.stem(image) + ".pts");
                if (!Files.isRegularFile(pts)) {
                    throw new AnnotationException(csv, i + 1, "no landmark file " + pts);
                }
                records.add(new FaceRecord(f[0].trim(), image, readPoints(pts), box));
            }
            return records;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path image : s.filter(FileNames::isImage).sorted().toList()) {
                Path pts = image.resolveSibling(FileNames.stem(image) + ".pts");
                if (Files.isRegularFile(pts)) {
                    double[][] points = readPoints(pts);
                    records.add(new FaceRecord(image.getFileName().toString(), image, points, boxAround(points, pts)));
                }
            }
        }
        return records;
    }

    static double parse(Path file, int line, String text) throws AnnotationException {
        double value;
        try {
            value = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new AnnotationException(file, line, "'" + text.trim() + "' is not a number");
        }
        if (!Double.isFinite(value)) {
            throw new AnnotationException(file, line, "'" + text.trim() + "' is not a finite number");
        }
        return value;
    }

    /** An annotation file's lines; bytes that are not UTF-8 are an error naming the file (the JDK's names none). */
    static List<String> lines(Path file) throws IOException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new AnnotationException(file, 0, "not UTF-8 text");
        }
    }

    /** The image {@code name} under {@code root}, as line {@code line} of {@code file} names it. */
    static Path resolve(Path root, String name, Path file, int line) throws AnnotationException {
        try {
            return root.resolve(name);
        } catch (InvalidPathException e) {
            throw new AnnotationException(file, line, "'" + name + "' is not a file name (" + e.getReason() + ")");
        }
    }

    /** The box around a face's points, which must span an area: one point, or points on a line, have none. */
    static FaceBox boxAround(double[][] points, Path file) throws AnnotationException {
        try {
            return FaceBox.around(points);
        } catch (IllegalArgumentException e) {
            throw new AnnotationException(file, 0, "its points give no face box: " + e.getMessage());
        }
    }

    static int parseInt(Path file, int line, String text) throws AnnotationException {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new AnnotationException(file, line, "'" + text.trim() + "' is not an integer");
        }
    }
}
