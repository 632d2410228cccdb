package io.dic4j.data;

import io.dic4j.util.AtomicFiles;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.razorvine.pickle.Pickler;

/** Writes annotations the readers of {@link FaceDataset} (and the authors' code) read back. */
public final class LandmarkFiles {

    private LandmarkFiles() {}

    /** A 300-W {@code .pts} file (1-based coordinates, with its header). */
    public static void writePts(Path file, double[][] points) throws IOException {
        AtomicFiles.write(file, out -> {
            PrintWriter w = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            w.printf("version: 1%nn_points:  %d%n{%n", points.length);
            for (double[] p : points) {
                w.printf(Locale.ROOT, "%.3f %.3f%n", p[0] + 1, p[1] + 1);
            }
            w.printf("}%n");
            w.flush();
        });
    }

    /**
     * The authors' info list: a pickled dict image name → {'landmark': [[x, y], …], 'bbox': [xmin, ymin, xmax,
     * ymax]} (lists, which their dataset reads as it reads numpy arrays), in the given order.
     */
    public static void writeInfoList(Path file, List<FaceRecord> records) throws IOException {
        Map<String, Object> info = new LinkedHashMap<>();
        for (FaceRecord r : records) {
            List<List<Double>> landmarks = new ArrayList<>();
            for (double[] p : r.landmarks()) {
                landmarks.add(List.of(p[0], p[1]));
            }
            FaceBox b = r.box();
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("landmark", landmarks);
            entry.put("bbox", List.of(b.xmin(), b.ymin(), b.xmax(), b.ymax()));
            info.put(r.name(), entry);
        }
        byte[] bytes = new Pickler().dumps(info);
        AtomicFiles.write(file, out -> out.write(bytes));
    }
}
