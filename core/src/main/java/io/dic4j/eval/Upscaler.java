package io.dic4j.eval;

import io.dic4j.image.PilResize;
import io.dic4j.infer.DicPredictor;
import io.dic4j.landmarks.Peaks;
import java.awt.image.BufferedImage;
import java.util.List;

/** A way to super-resolve LR faces: DIC, or the bicubic baseline. */
public interface Upscaler {

    /** A short name for reports ("DIC", "bicubic"). */
    String name();

    /**
     * One result per input, landmarks decoded as asked; bicubic results have a single step and no landmarks.
     */
    List<DicPredictor.Result> upscale(List<BufferedImage> lr, Peaks.Decoding decoding);

    /** Pillow bicubic to {@code size}², as the paper's bicubic baseline. */
    static Upscaler bicubic(int size) {
        return new Upscaler() {
            @Override
            public String name() {
                return "bicubic";
            }

            @Override
            public List<DicPredictor.Result> upscale(List<BufferedImage> lr, Peaks.Decoding decoding) {
                return lr.stream().map(img -> new DicPredictor.Result(List.of(PilResize.resize(img, size, size)), List.of()))
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
            public List<DicPredictor.Result> upscale(List<BufferedImage> lr, Peaks.Decoding decoding) {
                return predictor.predict(lr, decoding);
            }
        };
    }
}
