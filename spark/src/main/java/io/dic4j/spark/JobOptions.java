package io.dic4j.spark;

import io.dic4j.infer.Precision;
import java.util.Locale;

/**
 * The job's command line: what {@code spark-submit ... dic4j-spark-job.jar ARGS} and {@code ./dic4j-spark ARGS}
 * take.
 *
 * @param master Spark's master URL, or null to take the one spark-submit sets
 * @param input a folder (or file, or glob) of images, or a Parquet table
 * @param table whether {@code input} is a Parquet table of {@code idColumn} and {@code bytesColumn}
 * @param glob which file names of the folder are inputs ({@code binaryFile}'s {@code pathGlobFilter})
 * @param output the Parquet table, or the folder of PNGs, to write
 * @param format what {@code output} is
 * @param mode what the inputs are
 * @param batch faces per forward pass (faces mode)
 * @param model the DIC every executor runs
 */
record JobOptions(String master, String input, boolean table, String idColumn, String bytesColumn, String glob,
        String output, Format format, Mode mode, int batch, ModelChoice model) {

    /** What the job writes. */
    enum Format { parquet, png }

    /** What the inputs are: aligned face crops, super-resolved whole, or photos, whose faces are found first. */
    enum Mode { faces, photos }

    static final String USAGE = String.join("\n",
            "Usage: dic4j-spark [--master URL] --input DIR|TABLE [--input-format files|parquet] [--glob PATTERN]",
            "                   [--id-column NAME] [--bytes-column NAME] --output OUT [--format parquet|png]",
            "                   [--mode faces|photos] [--batch N] [--model FILE] [--precision fp32|bf16]",
            "",
            "Super-resolves aligned faces (16x16 -> 128x128), or the faces in photos, with DIC on a Spark cluster.",
            "  --input             a folder of images, read recursively (--input-format files, the default), or a",
            "                      Parquet table with an id column and a bytes column (--input-format parquet)",
            "  --glob              which file names in the folder are inputs (default *: every file, as",
            "                      'dic4j upscale' takes a folder; files that are not images become failures)",
            "  --id-column         the table's id column (default path, as binaryFile names it)",
            "  --bytes-column      the table's column of encoded images (default content, as binaryFile names it)",
            "  --output            parquet (default): a table of path, sr_png, landmarks (faces) or faces_json",
            "                      (photos), error; png: a folder of <name>.png named like the inputs (and, for",
            "                      photos, <name>.json), and _failures.jsonl",
            "  --mode              faces (default): aligned face crops, as 'dic4j upscale' takes them;",
            "                      photos: the photo upscaled 8x with its faces found, super-resolved and",
            "                      blended in, as 'dic4j enhance' does, one photo at a time",
            "  --batch             faces per forward pass in faces mode (default 8, as 'dic4j upscale'); in",
            "                      photos mode a photo's faces go through DIC 8 at a time, as in 'dic4j enhance'",
            "  --model             DIC's weights (.pth, .npz, .safetensors) at this path on every executor, or the",
            "                      name of a file given to spark-submit --files; the built-in model by default;",
            "                      in both modes (photos mode's face detector is always the built-in BlazeFace)",
            "  --precision         fp32 (default) or bf16: DIC's convolutions in bfloat16, faster on CPUs with",
            "                      AVX512-BF16 or AMX, as 'dic4j upscale --precision' runs them",
            "  --master            Spark's master URL, e.g. local[2]; spark-submit sets it otherwise");

    /** The options of {@code args}; null for {@code --help}. Throws {@link IllegalArgumentException} on bad usage. */
    static JobOptions parse(String... args) {
        String master = null;
        String input = null;
        String inputFormat = "files";
        String idColumn = "path";
        String bytesColumn = "content";
        String glob = "*";
        String output = null;
        String format = "parquet";
        String mode = "faces";
        String batch = "8";
        String model = null;
        String precision = "fp32";
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help") || name.equals("-h")) {
                return null;
            }
            if (!name.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + name + "'");
            }
            if (i + 1 == args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            String value = args[++i];
            switch (name) {
                case "--master" -> master = value;
                case "--input" -> input = value;
                case "--input-format" -> inputFormat = oneOf(name, value, "files", "parquet");
                case "--id-column" -> idColumn = value;
                case "--bytes-column" -> bytesColumn = value;
                case "--glob" -> glob = value;
                case "--output" -> output = value;
                case "--format" -> format = oneOf(name, value, "parquet", "png");
                case "--mode" -> mode = oneOf(name, value, "faces", "photos");
                case "--batch" -> batch = value;
                case "--model" -> model = value;
                case "--precision" -> precision = value;
                default -> throw new IllegalArgumentException("unknown option " + name);
            }
        }
        if (input == null || output == null) {
            throw new IllegalArgumentException("--input and --output are required");
        }
        int faces;
        try {
            faces = Integer.parseInt(batch);
        } catch (NumberFormatException e) {
            faces = 0;
        }
        if (faces < 1) {
            throw new IllegalArgumentException("--batch must be a whole number of at least 1, got " + batch);
        }
        return new JobOptions(master, input, inputFormat.equals("parquet"), idColumn, bytesColumn, glob, output,
                Format.valueOf(format), Mode.valueOf(mode), faces, new ModelChoice(model, Precision.of(precision)));
    }

    private static String oneOf(String option, String value, String... allowed) {
        for (String a : allowed) {
            if (a.equals(value.toLowerCase(Locale.ROOT))) {
                return a;
            }
        }
        throw new IllegalArgumentException(option + " must be one of " + String.join(", ", allowed) + ", got '"
                + value + "'");
    }
}
