package io.dic4j.cli;

import ai.djl.engine.Engine;
import ai.djl.pytorch.engine.PtEngine;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.Platform;
import io.dic4j.weights.BuiltInModel;
import io.dic4j.weights.StateDict;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version}: what a bug report needs, dic4j's version, the engine and the native library it runs on (the
 * flavour: cpu, or cu* for a CUDA build) and the built-in model.
 */
final class VersionInfo implements IVersionProvider {

    /** Written by the build (resource filtering) with the project's version. */
    private static final String VERSION_RESOURCE = "version.properties";
    private static final int FLOAT32_BYTES = 4;

    @Override
    public String[] getVersion() throws IOException {
        Engine engine = Engine.getEngine(PtEngine.ENGINE_NAME);
        StateDict model = BuiltInModel.read();
        long values = model.tensors().values().stream().mapToLong(t -> t.values().length).sum();
        return new String[] {
            "dic4j " + dic4jVersion(),
            "DJL " + Engine.getDjlVersion() + ", PyTorch " + engine.getVersion() + " ("
                    + Platform.detectPlatform("pytorch").getFlavor() + "), native library in "
                    + LibUtils.getLibtorchPath(),
            String.format(Locale.ROOT, "built-in model %s: %.2f M weights (%.1f MB as float32)", BuiltInModel.NAME,
                    values / 1e6, values * FLOAT32_BYTES / 1e6)
        };
    }

    private static String dic4jVersion() throws IOException {
        try (InputStream in = VersionInfo.class.getResourceAsStream(VERSION_RESOURCE)) {
            if (in == null) {
                throw new IOException(VERSION_RESOURCE + " is missing from the classpath");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        }
    }
}
