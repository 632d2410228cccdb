package io.dic4j.infer;

import io.dic4j.model.layers.ForwardMode;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The number type DIC's inference runs its convolutions in. float32 is the default and matches the authors' network
 * to 1e-7; bfloat16 is faster on CPUs with AVX512-BF16 or AMX and costs a little accuracy (docs/performance.md).
 */
public enum Precision {
    FP32(ForwardMode.INFERENCE),
    BF16(ForwardMode.INFERENCE_BF16);

    private final ForwardMode mode;

    Precision(ForwardMode mode) {
        this.mode = mode;
    }

    /** The forward mode of an inference pass in this precision. */
    public ForwardMode mode() {
        return mode;
    }

    /** Its name on command lines and in option maps: {@code fp32} or {@code bf16}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The precision named {@code id} ({@code fp32}, {@code bf16}); the error lists the names. */
    public static Precision of(String id) {
        return Arrays.stream(values()).filter(p -> p.id().equals(id.toLowerCase(Locale.ROOT))).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown precision '" + id + "', expected one of "
                        + Arrays.stream(values()).map(Precision::id).collect(Collectors.joining(", "))));
    }
}
