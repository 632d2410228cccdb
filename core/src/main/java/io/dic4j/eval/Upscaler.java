package io.dic4j.eval;

import io.dic4j.image.PilResize;
import io.dic4j.infer.DicPredictor;
import java.awt.image.BufferedImage;
import java.util.List;

/** A way to super-resolve LR faces: DIC, or the bicubic baseline. */
public interface Upscaler {

    /** A short name for reports ("DIC", "bicubic"). */
    String name();

    /** One result per input; bicubic results have a single step and no landmarks. */
    List<DicPredictor.Result> upscale(List<BufferedImage> lr);

    /** Pillow bicubic to {@code size}², as the paper's bicubic baseline. */
    static Upscaler bicubic(int size) {
        return new Upscaler() {
            @Override
            public String name() {
                return "bicubic";
            }

            @Override
            public List<DicPredictor.Result> upscale(List<BufferedImage> lr) {
                return lr.stream().map(img -> new DicPredictor.Result(List.of(PilResize.resize(img, size, size)), null))
                        .toList();
            }
        };
    }

    static Upscaler dic(DicPredictor predictor) {
        return new Upscaler() {
            @Override
            public String name() {
                return "DIC";
            }

            @Override
            public List<DicPredictor.Result> upscale(List<BufferedImage> lr) {
                return predictor.predict(lr);
            }
        };
    }
}
