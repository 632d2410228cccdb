package io.dic4j.cli;

import io.dic4j.image.Images;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code --max-pixels}: a picocli mixin of the commands that decode images from files ({@code serve} has its own). */
final class ImageLimitOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** Applied as it is parsed (the default too), so each command line sets the limit it runs under. */
    @Option(names = "--max-pixels", defaultValue = "" + Images.DEFAULT_MAX_PIXELS, paramLabel = "N",
            description = "Refuse images of more than N pixels, read from their header before decoding"
                    + " (default: ${DEFAULT-VALUE}, Pillow's limit).")
    void setMaxPixels(long pixels) {
        apply(spec, pixels);
    }

    /** Sets the process's limit from {@code --max-pixels} of {@code spec}'s command line. */
    static void apply(CommandSpec spec, long pixels) {
        if (pixels < 1) {
            throw new ParameterException(spec.commandLine(), "--max-pixels must be at least 1, got " + pixels);
        }
        Images.setMaxPixels(pixels);
    }
}
