package io.dic4j.data;

import io.dic4j.util.FileNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Helen's annotation folder: one text file per face, its first line the image name (no extension), then one
 * {@code x , y} line per point (194). The crop box is the 300-W rule around the points ({@link FaceBox#around}).
 */
final class HelenReader {

    static final int POINTS = 194;

    private HelenReader() {}

    static List<FaceRecord> read(Path annotationDir, Path imageRoot) throws IOException {
        List<FaceRecord> records = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(annotationDir)) {
            files = s.filter(p -> p.getFileName().toString().endsWith(".txt")).sorted().toList();
        }
        for (Path file : files) {
            List<String> lines = PtsReader.lines(file).stream().map(String::trim).toList();
            if (lines.isEmpty() || lines.get(0).isEmpty()) {
                throw new AnnotationException(file, 1, "expected the image name on the first line");
            }
            String stem = lines.get(0);
            List<double[]> points = new ArrayList<>();
            for (int i = 1; i < lines.size(); i++) {
                if (lines.get(i).isEmpty()) {
                    continue;
                }
                String[] xy = lines.get(i).split(",");
                if (xy.length != 2) {
                    throw new AnnotationException(file, i + 1, "expected 'x , y', found '" + lines.get(i) + "'");
                }
                points.add(new double[] {PtsReader.parse(file, i + 1, xy[0]), PtsReader.parse(file, i + 1, xy[1])});
            }
            if (points.size() != POINTS) {
                throw new AnnotationException(file, 0, "has " + points.size() + " points, Helen has " + POINTS);
            }
            Path image = findImage(imageRoot, stem, file);
            if (image == null) {
                throw new AnnotationException(file, 1, "no image " + stem + ".* in " + imageRoot);
            }
            double[][] p = points.toArray(double[][]::new);
            records.add(new FaceRecord(image.getFileName().toString(), image, p, PtsReader.boxAround(p, file)));
        }
        return records;
    }

    private static Path findImage(Path root, String stem, Path file) throws AnnotationException {
        for (String suffix : FileNames.IMAGE_SUFFIXES) {
            Path p = PtsReader.resolve(root, stem + suffix, file, 1);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }
}
