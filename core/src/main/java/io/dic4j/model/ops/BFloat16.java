package io.dic4j.model.ops;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Casts between float32 and bfloat16. DJL 0.36's PyTorch engine has no bfloat16 data type: its {@code toType} and
 * its array creation abort the process on it. A TorchScript module (a resource written by
 * {@code tools/make-bfloat16-module.py}) casts instead, and libtorch runs any op on the tensors it returns; DJL reports
 * their type as {@link DataType#UNKNOWN}.
 *
 * <p>The module runs in PyTorch's inference mode, so what it returns must never be written in place;
 * {@link #zeros} gives a bfloat16 array that may be.
 */
public final class BFloat16 {

    private static final String RESOURCE = "bfloat16.pt";

    private BFloat16() {}

    /** {@code x} in bfloat16: itself when it already is, in {@code x}'s manager otherwise. */
    public static NDArray of(NDArray x) {
        return is(x) ? x : run("forward", x);
    }

    /** {@code x} in float32: itself when it already is, in {@code x}'s manager otherwise. */
    public static NDArray toFloat32(NDArray x) {
        return is(x) ? run("to_float32", x) : x;
    }

    /** Whether {@code x} holds bfloat16 (the only type DJL reports as unknown that this code makes). */
    public static boolean is(NDArray x) {
        return x.getDataType() == DataType.UNKNOWN;
    }

    /** A bfloat16 array of zeros that may be written in place. */
    public static NDArray zeros(NDManager manager, Shape shape) {
        try (NDArray zeros = manager.zeros(shape); NDArray cast = run("forward", zeros)) {
            // a copy made outside inference mode is an ordinary tensor
            return cast.duplicate();
        }
    }

    /**
     * Whether this CPU runs bfloat16 convolutions natively (AVX512-BF16 or AMX); elsewhere oneDNN emulates them, more
     * slowly than float32. False where /proc/cpuinfo cannot be read.
     */
    public static boolean nativeOnThisCpu() {
        try {
            String flags = Files.readString(Path.of("/proc/cpuinfo")).toLowerCase(Locale.ROOT);
            return flags.contains("avx512_bf16") || flags.contains("amx_bf16");
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    private static NDArray run(String method, NDArray x) {
        try (IValue in = IValue.from((PtNDArray) x);
                IValue out = IValueUtils.runMethod(Module.CASTS, method, in)) {
            return out.toTensor((PtNDManager) x.getManager());
        }
    }

    /** The module, loaded once and kept for the life of the JVM. */
    private static final class Module {
        static final PtSymbolBlock CASTS = load();

        private static PtSymbolBlock load() {
            Engine.getEngine("PyTorch");
            try (InputStream in = BFloat16.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from the classpath");
                }
                PtNDManager manager = (PtNDManager) NDManager.newBaseManager();
                return JniUtils.loadModule(manager, in, false, false);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
        }
    }
}
