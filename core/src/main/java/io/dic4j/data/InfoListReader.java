package io.dic4j.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The authors' annotation pickles: a dict image name → {'landmark': K×2 (x, y), 'bbox': [xmin, ymin, xmax, ymax]}
 * (training and test sets), or image name → K×2 landmarks (their landmark evaluation's: points on aligned faces,
 * no box, so the whole image is the face); numpy arrays or plain lists. Coordinates are taken as they are (the
 * reference uses them unchanged).
 */
final class InfoListReader {

    private InfoListReader() {}

    static List<FaceRecord> read(Path pkl, Path imageRoot) throws IOException {
        Object root;
        try {
            root = NumpyPickle.load(pkl);
        } catch (IOException e) {
            throw new AnnotationException(pkl, e.getMessage(), e);
        }
        Map<String, Object> entries = NumpyPickle.stringMap(root);
        if (entries == null) {
            throw new AnnotationException(pkl, 0, "expected a dict image name -> {'landmark', 'bbox'}, found "
                    + typeName(root));
        }
        List<FaceRecord> records = new ArrayList<>();
        for (Map.Entry<String, Object> e : entries.entrySet()) {
            String name = e.getKey();
            Map<String, Object> info = NumpyPickle.stringMap(e.getValue());
            double[] points = info == null ? NumpyPickle.numbers(e.getValue()) : null;
            if (points != null && points.length > 0 && points.length % 2 == 0) {
                records.add(new FaceRecord(name, PtsReader.resolve(imageRoot, name, pkl, 0), pairs(points), null));
                continue;
            }
            if (info == null || !info.containsKey("landmark") || !info.containsKey("bbox")) {
                throw new AnnotationException(pkl, 0, "entry '" + name + "' must be a dict with 'landmark' and 'bbox'"
                        + " or K×2 landmarks");
            }
            double[] flat = NumpyPickle.numbers(info.get("landmark"));
            if (flat == null || flat.length == 0 || flat.length % 2 != 0) {
                throw new AnnotationException(pkl, 0, "entry '" + name + "': 'landmark' must be K×2 numbers");
            }
            double[] box = NumpyPickle.numbers(info.get("bbox"));
            if (box == null || box.length != 4) {
                throw new AnnotationException(pkl, 0, "entry '" + name + "': 'bbox' must be [xmin, ymin, xmax, ymax]");
            }
            FaceBox faceBox;
            try {
                faceBox = new FaceBox((int) box[0], (int) box[1], (int) box[2], (int) box[3]);
            } catch (IllegalArgumentException ex) {
                throw new AnnotationException(pkl, 0, "entry '" + name + "': " + ex.getMessage());
            }
            records.add(new FaceRecord(name, PtsReader.resolve(imageRoot, name, pkl, 0), pairs(flat), faceBox));
        }
        return records;
    }

    static double[][] pairs(double[] flat) {
        double[][] points = new double[flat.length / 2][];
        for (int i = 0; i < points.length; i++) {
            points[i] = new double[] {flat[2 * i], flat[2 * i + 1]};
        }
        return points;
    }

    private static String typeName(Object o) {
        return o == null ? "None" : o.getClass().getSimpleName();
    }
}
