package io.dic4j.spark;

import io.dic4j.image.ImageReadException;
import io.dic4j.image.Images;
import io.dic4j.infer.DicPredictor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.collection.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * What each task does to its partition: super-resolves its faces {@code batch} at a time, through the executor's
 * one model ({@link ExecutorModels}), and gives one row per input, in input order. An input that cannot be read,
 * whose output name is taken, or whose batch fails, gives a row with its {@code error}: the task goes on.
 *
 * <p>Rows in: {@code id} (string), {@code bytes} (the encoded image), and for PNG output {@code name} (the output
 * file's path under the output folder) and {@code taken_by} (the input that has that name, where another has it).
 * Rows out: {@link #TABLE} or, for PNG output, {@link #FILES}. Photos mode ({@link PhotoEnhancements}) takes the
 * same rows, reads them with {@link #read} and writes its errors with {@link #errorRow}.
 */
final class FaceBatches implements MapPartitionsFunction<Row, Row> {

    /** One row per input for Parquet output: the SR face as PNG bytes, DIC's 68 landmarks, or the error. */
    static final StructType TABLE = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("sr_png", DataTypes.BinaryType, true)
            .add("landmarks", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.FloatType, false), false),
                    true)
            .add("error", DataTypes.StringType, true);

    /** One row per input for PNG output: the file written under the output folder, or the error. */
    static final StructType FILES = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("file", DataTypes.StringType, true)
            .add("error", DataTypes.StringType, true);

    private final int batch;
    private final ModelChoice model;
    /** Where PNGs go; null for Parquet output. */
    private final OutputFolder pngFolder;

    FaceBatches(int batch, ModelChoice model, OutputFolder pngFolder) {
        this.batch = batch;
        this.model = model;
        this.pngFolder = pngFolder;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> inputs) {
        int cpus = taskCpus();
        String attempt = attemptName();
        // lazy: one batch of rows is held at a time, however large the partition
        return new Iterator<>() {
            private final ArrayDeque<Row> ready = new ArrayDeque<>();

            @Override
            public boolean hasNext() {
                while (ready.isEmpty() && inputs.hasNext()) {
                    List<Row> rows = new ArrayList<>(batch);
                    while (rows.size() < batch && inputs.hasNext()) {
                        rows.add(inputs.next());
                    }
                    ready.addAll(process(rows, cpus, attempt));
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }
        };
    }

    private List<Row> process(List<Row> rows, int cpus, String attempt) {
        Row[] out = new Row[rows.size()];
        List<BufferedImage> faces = new ArrayList<>();
        List<Integer> faceRows = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            try {
                faces.add(DicPredictor.asInput(read(row, pngFolder != null)));
                faceRows.add(i);
            } catch (ImageReadException e) {
                out[i] = errorRow(row.getString(0), e.reason(), pngFolder != null);
            }
        }
        if (!faces.isEmpty()) {
            DicPredictor predictor = predictor(cpus);
            List<DicPredictor.Result> results = null;
            String batchError = null;
            try {
                results = predictor.predict(faces);
            } catch (RuntimeException e) {
                batchError = "super-resolution failed (" + e.getMessage() + ")";
            }
            for (int k = 0; k < faceRows.size(); k++) {
                int i = faceRows.get(k);
                String id = rows.get(i).getString(0);
                out[i] = results == null ? errorRow(id, batchError, pngFolder != null)
                        : success(rows.get(i), results.get(k), attempt);
            }
        }
        return List.of(out);
    }

    /** The executor's model; not loading it fails the task (and, retried, the job): no input could succeed. */
    private DicPredictor predictor(int cpus) {
        try {
            return ExecutorModels.predictor(model, cpus);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Row success(Row input, DicPredictor.Result result, String attempt) {
        String id = input.getString(0);
        byte[] png;
        try {
            png = Images.encodePng(result.sr());
            if (pngFolder != null) {
                pngFolder.write(input.getString(2), png, attempt);
                return RowFactory.create(id, input.getString(2), null);
            }
        } catch (IOException e) {
            return errorRow(id, "cannot write its output (" + e.getMessage() + ")", pngFolder != null);
        }
        // a Row's arrays are Scala sequences
        List<Seq<Float>> points = new ArrayList<>();
        for (float[] p : result.landmarks()) {
            points.add(CollectionConverters.asScala(List.of(p[0], p[1])));
        }
        return RowFactory.create(id, png, CollectionConverters.asScala(points), null);
    }

    /**
     * The RGB image of an input row. Throws, with the reason, where the row gives no output: its output name is
     * another input's (for PNG output, {@code named}; the image is then not read), it has no bytes, or they are not
     * an image.
     */
    static BufferedImage read(Row row, boolean named) throws ImageReadException {
        String id = row.getString(0);
        if (named && !row.isNullAt(3)) {
            throw new ImageReadException(id, "its output name " + row.getString(2) + " is taken by "
                    + row.getString(3));
        }
        byte[] bytes = row.getAs(1);
        if (bytes == null) {
            throw new ImageReadException(id, "no image bytes (null)");
        }
        return Images.readRgb(bytes, id);
    }

    /** An input's row with its error: of {@link #FILES} for PNG output, else of a four-column table. */
    static Row errorRow(String id, String error, boolean files) {
        return files ? RowFactory.create(id, null, error) : RowFactory.create(id, null, null, error);
    }

    /** The calling task's cores ({@code spark.task.cpus}), 1 outside a task. */
    static int taskCpus() {
        TaskContext task = TaskContext.get();
        return task == null ? 1 : task.cpus();
    }

    /** The calling task attempt, as temporary files' names carry it. */
    static String attemptName() {
        TaskContext task = TaskContext.get();
        return task == null ? "local" : "attempt" + task.taskAttemptId();
    }
}
