package io.dic4j.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * CelebA's {@code list_landmarks_align_celeba.txt}: a count, a header naming the 5 points' coordinates
 * (eyes, nose, mouth corners), then {@code NAME x1 y1 … x5 y5} per image. The aligned images carry no box: the
 * centred square is used (see {@link FaceRecord#box()}). Coordinates are taken as written.
 */
final class CelebaReader {

    static final int POINTS = 5;
    static final String HEADER_START = "lefteye_x";

    private CelebaReader() {}

    static boolean looksLike(Path file) throws IOException {
        // a reader that replaces malformed bytes (Files.lines throws): a file that is not UTF-8 is not CelebA's
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file),
                StandardCharsets.UTF_8))) {
            in.readLine();
            String header = in.readLine();
            return header != null && header.trim().startsWith(HEADER_START);
        }
    }

    static List<FaceRecord> read(Path file, Path imageRoot) throws IOException {
        List<String> lines = PtsReader.lines(file);
        if (lines.size() < 2 || !lines.get(1).trim().startsWith(HEADER_START)) {
            throw new AnnotationException(file, 2, "expected CelebA's header '" + HEADER_START + " lefteye_y …'");
        }
        int count = PtsReader.parseInt(file, 1, lines.get(0));
        List<FaceRecord> records = new ArrayList<>();
        for (int i = 2; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length != 1 + 2 * POINTS) {
                throw new AnnotationException(file, i + 1, "expected a name and " + 2 * POINTS + " coordinates, found "
                        + f.length + " fields");
            }
            double[][] points = new double[POINTS][];
            for (int p = 0; p < POINTS; p++) {
                points[p] = new double[] {PtsReader.parse(file, i + 1, f[1 + 2 * p]),
                    PtsReader.parse(file, i + 1, f[2 + 2 * p])};
            }
            records.add(new FaceRecord(f[0], PtsReader.resolve(imageRoot, f[0], file, i + 1), points, null));
        }
        if (records.size() != count) {
            throw new AnnotationException(file, 1, "says " + count + " images, the file lists " + records.size());
        }
        return records;
    }
}
