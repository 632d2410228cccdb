package io.dic4j.spark;

import io.dic4j.enhance.FaceEnhancer;
import io.dic4j.image.ImageReadException;
import io.dic4j.image.Images;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What each task does to its partition in photos mode: enhances its photos as {@code dic4j enhance} does (faces found,
 * super-resolved and blended into the photo upscaled {@link #UPSCALE}×), through the executor's one
 * {@link FaceEnhancer} ({@link ExecutorModels}), one photo at a time: photos differ in size, so they make no batch
 * (the faces of a photo go through DIC together). One row per input, in input order; an input that cannot be read,
 * whose output name is taken, or whose enhancement fails gives a row with its {@code error}: the task goes on.
 *
 * <p>Rows in as {@link FaceBatches} takes them. Rows out: {@link #TABLE} or, for PNG output,
 * {@link FaceBatches#FILES}, whose {@code file} is the PNG; its JSON is beside it, {@code .json} for {@code .png}.
 */
final class PhotoEnhancements implements MapPartitionsFunction<Row, Row> {

    /** One row per input for Parquet output: the enhanced photo as PNG bytes, its faces as JSON text, or the error. */
    static final StructType TABLE = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("sr_png", DataTypes.BinaryType, true)
            .add("faces_json", DataTypes.StringType, true)
            .add("error", DataTypes.StringType, true);

    /** The output's size over the input's: {@code dic4j enhance}'s default. */
    static final int UPSCALE = FaceEnhancer.Options.DEFAULT.upscale();

    private final ModelChoice model;
    /** Where PNGs and JSON go; null for Parquet output. */
    private final OutputFolder pngFolder;

    PhotoEnhancements(ModelChoice model, OutputFolder pngFolder) {
        this.model = model;
        this.pngFolder = pngFolder;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> inputs) {
        int cpus = FaceBatches.taskCpus();
        String attempt = FaceBatches.attemptName();
        // lazy: one photo is held at a time, however large the partition
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return inputs.hasNext();
            }

            @Override
            public Row next() {
                return enhance(inputs.next(), cpus, attempt);
            }
        };
    }

    private Row enhance(Row input, int cpus, String attempt) {
        String id = input.getString(0);
        BufferedImage photo;
        try {
            photo = FaceBatches.read(input, pngFolder != null);
        } catch (ImageReadException e) {
            return FaceBatches.errorRow(id, e.reason(), pngFolder != null);
        }
        FaceEnhancer enhancer = enhancer(cpus);
        FaceEnhancer.Result result;
        try {
            result = enhancer.enhance(photo, FaceEnhancer.Options.DEFAULT);
        } catch (RuntimeException e) {
            return FaceBatches.errorRow(id, "enhancement failed (" + e.getMessage() + ")", pngFolder != null);
        }
        try {
            byte[] png = Images.encodePng(result.image());
            if (pngFolder != null) {
                String name = input.getString(2);
                write(name, png, result.jsonFile(id, UPSCALE), attempt);
                return RowFactory.create(id, name, null);
            }
            // JsonNode's toString is its JSON, compact
            return RowFactory.create(id, png, result.facesJson().toString(), null);
        } catch (IOException e) {
            return FaceBatches.errorRow(id, "cannot write its output (" + e.getMessage() + ")", pngFolder != null);
        }
    }

    /** Writes a photo's PNG and JSON; where the JSON cannot be written, the PNG is removed, as dic4j enhance does. */
    private void write(String pngName, byte[] png, byte[] json, String attempt) throws IOException {
        pngFolder.write(pngName, png, attempt);
        try {
            pngFolder.write(jsonName(pngName), json, attempt);
        } catch (IOException e) {
            pngFolder.delete(pngName);
            throw e;
        }
    }

    /** The JSON beside a PNG: {@code a/b.png} → {@code a/b.json}. */
    static String jsonName(String pngName) {
        return pngName.substring(0, pngName.length() - ".png".length()) + ".json";
    }

    /** The executor's enhancer; not loading it fails the task (and, retried, the job): no input could succeed. */
    private FaceEnhancer enhancer(int cpus) {
        try {
            return ExecutorModels.enhancer(model, cpus);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
