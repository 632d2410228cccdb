package io.dic4j.cli;

import io.dic4j.infer.Precision;
import io.dic4j.model.ops.BFloat16;
import java.io.PrintWriter;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** {@code --precision}: what DIC's convolutions compute in; a picocli mixin of the commands that run the model. */
final class PrecisionOption {

    @Option(names = "--precision", defaultValue = "fp32", paramLabel = "fp32|bf16", converter = Converter.class,
            description = "fp32 (default: the authors' numbers to 1e-7) or bf16 (faster on CPUs with AVX512-BF16 or"
                    + " AMX, within 0.05 dB of fp32; docs/performance.md).")
    Precision precision;

    /** The precision asked for, noting on {@code err} when this CPU would emulate bfloat16. */
    Precision get(PrintWriter err) {
        if (precision == Precision.BF16 && !BFloat16.nativeOnThisCpu()) {
            err.println("note: this CPU has neither AVX512-BF16 nor AMX: bf16 runs emulated, slower than fp32");
        }
        return precision;
    }

    static final class Converter implements ITypeConverter<Precision> {
        @Override
        public Precision convert(String value) {
            return Precision.of(value);
        }
    }
}
