package io.dic4j.spark;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dic4j.util.FileNames;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The Spark job: super-resolves every face of a folder or a Parquet table (aligned crops, or the faces of photos), on
 * as many executors as the cluster gives, into a Parquet table or a folder of PNGs. {@code spark-submit --class
 * io.dic4j.spark.SuperResolveJob dic4j-spark-job.jar --input ... --output ...}, or {@code ./dic4j-spark} for a local
 * run; docs/spark.md.
 *
 * <p>An input that cannot be super-resolved is a row with its error (and a line of {@code _failures.jsonl} for PNG
 * output), never a failed task: the job succeeds when it ran, whatever its inputs held.
 */
public final class SuperResolveJob {

    /** Written beside the PNGs: one JSON line ({@code path}, {@code error}) per input that failed. */
    static final String FAILURES_FILE = "_failures.jsonl";
    /** Failures the summary names on stderr; the rest are in the output. */
    private static final int FAILURES_SHOWN = 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private SuperResolveJob() {}

    /**
     * What a run did.
     *
     * @param failures the first {@link #FAILURES_SHOWN} failures: input and error
     */
    record Summary(long written, long failed, Map<String, String> failures, double seconds) {}

    public static void main(String[] args) {
        System.exit(run(args, System.err));
    }

    /** Runs the command line; the exit code: 0 when the job ran, 1 when it found no input or failed, 2 for usage. */
    static int run(String[] args, PrintStream err) {
        JobOptions options;
        try {
            options = JobOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("dic4j-spark: " + e.getMessage());
            err.println(JobOptions.USAGE);
            return 2;
        }
        if (options == null) {
            err.println(JobOptions.USAGE);
            return 0;
        }
        SparkSession.Builder builder = SparkSession.builder().appName("dic4j super-resolution");
        if (options.master() != null) {
            builder.master(options.master());
        }
        try (SparkSession spark = builder.getOrCreate()) {
            Summary s = run(spark, options);
            String unit = options.mode() == JobOptions.Mode.photos ? "photo" : "face";
            err.printf(Locale.ROOT, "dic4j-spark: %d %s(s) written to %s, %d failed (%.1f s, %.2f %ss/s)%n",
                    s.written(), unit, options.output(), s.failed(), s.seconds(), s.written() / s.seconds(), unit);
            s.failures().forEach((path, error) -> err.println("  failed: " + path + ": " + error));
            if (s.failed() > s.failures().size()) {
                err.println("  ... and " + (s.failed() - s.failures().size()) + " more");
            }
            if (s.failed() > 0) {
                err.println("  every failure is listed in " + (options.format() == JobOptions.Format.png
                        ? options.output() + "/" + FAILURES_FILE : "the table's error column"));
            }
            if (s.written() + s.failed() == 0) {
                err.println("dic4j-spark: no input in " + options.input());
                return 1;
            }
            return 0;
        } catch (IOException e) {
            err.println("dic4j-spark: cannot write " + options.output() + " (" + e.getMessage() + ")");
            return 1;
        } catch (Exception e) {
            // Spark's AnalysisException (no such input, a table without the columns) is checked but undeclared
            boolean input = e instanceof AnalysisException || e instanceof IllegalArgumentException;
            err.println("dic4j-spark: " + (input ? e.getMessage() : "the job failed: " + e));
            return 1;
        }
    }

    /** Runs the job in {@code spark}. */
    static Summary run(SparkSession spark, JobOptions options) throws IOException {
        long start = System.nanoTime();
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        boolean png = options.format() == JobOptions.Format.png;
        Dataset<Row> inputs = read(spark, options);
        if (png) {
            inputs = withOutputNames(inputs, options.table() ? null : OutputFolder.of(options.input(), conf).root());
        }
        OutputFolder pngFolder = png ? OutputFolder.of(options.output(), conf) : null;
        boolean photos = options.mode() == JobOptions.Mode.photos;
        MapPartitionsFunction<Row, Row> task = photos ? new PhotoEnhancements(options.model(), pngFolder)
                : new FaceBatches(options.batch(), options.model(), pngFolder);
        StructType table = photos ? PhotoEnhancements.TABLE : FaceBatches.TABLE;
        Dataset<Row> results = inputs.mapPartitions(task, Encoders.row(png ? FaceBatches.FILES : table));
        Dataset<Row> outcomes;
        if (png) {
            // small rows (no pixels), kept so that counting and listing the failures does not run DIC again
            outcomes = results.persist(StorageLevel.MEMORY_AND_DISK());
        } else {
            results.write().mode(SaveMode.Overwrite).parquet(options.output());
            outcomes = spark.read().parquet(options.output()).select("path", "error");
        }
        try {
            Row counts = outcomes.agg(count(lit(1)), count(col("error"))).first();
            long failed = counts.getLong(1);
            Map<String, String> shown = new LinkedHashMap<>();
            Dataset<Row> failures = outcomes.filter(col("error").isNotNull()).select("path", "error").orderBy("path");
            if (png) {
                ByteArrayOutputStream list = new ByteArrayOutputStream();
                Iterator<Row> rows = failures.toLocalIterator();
                while (rows.hasNext()) {
                    Row r = rows.next();
                    Map<String, String> line = new LinkedHashMap<>();
                    line.put("path", r.getString(0));
                    line.put("error", r.getString(1));
                    list.write(JSON.writeValueAsBytes(line));
                    list.write('\n');
                    if (shown.size() < FAILURES_SHOWN) {
                        shown.put(r.getString(0), r.getString(1));
                    }
                }
                pngFolder.write(FAILURES_FILE, list.toByteArray(), "driver");
            } else {
                for (Row r : failures.takeAsList(FAILURES_SHOWN)) {
                    shown.put(r.getString(0), r.getString(1));
                }
            }
            return new Summary(counts.getLong(0) - failed, failed, shown, (System.nanoTime() - start) / 1e9);
        } finally {
            outcomes.unpersist();
        }
    }

    /** The inputs as rows of {@code id} (string) and {@code bytes} (an encoded image). */
    private static Dataset<Row> read(SparkSession spark, JobOptions options) {
        if (!options.table()) {
            return spark.read().format("binaryFile").option("recursiveFileLookup", "true")
                    .option("pathGlobFilter", options.glob()).load(options.input())
                    .select(col("path").as("id"), col("content").as("bytes"));
        }
        Dataset<Row> table = spark.read().parquet(options.input());
        List<String> columns = Arrays.asList(table.columns());
        for (String c : List.of(options.idColumn(), options.bytesColumn())) {
            if (!columns.contains(c)) {
                throw new IllegalArgumentException(options.input() + " has no column " + c + " (its columns: "
                        + String.join(", ", columns) + "); name them with --id-column and --bytes-column");
            }
        }
        if (!table.schema().apply(options.bytesColumn()).dataType().equals(DataTypes.BinaryType)) {
            throw new IllegalArgumentException(options.input() + ": column " + options.bytesColumn() + " is "
                    + table.schema().apply(options.bytesColumn()).dataType().simpleString() + ", not binary (the"
                    + " encoded images)");
        }
        return table.select(col(options.idColumn()).cast(DataTypes.StringType).as("id"),
                col(options.bytesColumn()).as("bytes"));
    }

    /**
     * Adds each input's PNG name ({@code name}) and, where several inputs would write the same name, the input that
     * keeps it ({@code taken_by}, the first id in order; null for that one and for unique names), as {@code dic4j
     * upscale} keeps the first of a sorted folder. The clashing names are few: they are found on the ids alone and
     * joined to the inputs by broadcast, without moving the images.
     */
    private static Dataset<Row> withOutputNames(Dataset<Row> inputs, String root) {
        UserDefinedFunction nameOf = udf((UDF1<String, String>) id -> outputName(id, root), DataTypes.StringType);
        Dataset<Row> named = inputs.withColumn("name", nameOf.apply(col("id")));
        Dataset<Row> clashes = named.select("id", "name").groupBy("name").agg(min("id").as("first"),
                count(lit(1)).as("n")).filter(col("n").gt(1)).select("name", "first");
        return named.join(broadcast(clashes), new String[] {"name"}, "left").select(col("id"), col("bytes"),
                col("name"), when(col("first").notEqual(col("id")), col("first")).as("taken_by"));
    }

    /**
     * The PNG an input becomes: its path under {@code root} (the input folder; null for a table's ids) with the
     * extension {@code .png}, e.g. {@code file:/in/a/b.jpg} → {@code a/b.png}; the file name alone where the id is
     * not under the folder.
     */
    static String outputName(String id, String root) {
        String relative = root != null && id.startsWith(root + "/") ? id.substring(root.length() + 1)
                : id.substring(id.lastIndexOf('/') + 1);
        int slash = relative.lastIndexOf('/');
        return relative.substring(0, slash + 1) + FileNames.stem(relative.substring(slash + 1)) + ".png";
    }
}
