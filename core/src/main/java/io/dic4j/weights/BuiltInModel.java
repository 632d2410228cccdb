package io.dic4j.weights;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The DIC model that ships inside dic4j: trained by dic4j on the 300-W faces (see {@code docs/model-card.md}), the
 * default of every command and of the library API. Its alignment branch is also the default landmark detector.
 */
public final class BuiltInModel {

    /** The model's name, as the model card and the CLI give it. */
    public static final String NAME = "dic4j-faces300w";

    private static final String RESOURCE = "/io/dic4j/models/" + NAME + ".safetensors";

    private BuiltInModel() {}

    /** The model's tensors and metadata (its config included). */
    public static StateDict read() throws IOException {
        InputStream resource = BuiltInModel.class.getResourceAsStream(RESOURCE);
        if (resource == null) {
            throw new IOException("the built-in model " + RESOURCE + " is missing from the classpath");
        }
        try (InputStream in = new BufferedInputStream(resource)) {
            return Safetensors.read(in, "built-in model " + NAME);
        }
    }
}
