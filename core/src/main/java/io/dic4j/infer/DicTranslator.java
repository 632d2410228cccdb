package io.dic4j.infer;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.modality.cv.output.Landmark;
import ai.djl.modality.cv.output.Point;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.dic4j.image.FaceTensors;
import io.dic4j.landmarks.Peaks;
import io.dic4j.model.DicNet;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * DJL's translator for DIC: an aligned face (any size; not 16×16 is resized with Pillow's bicubic, as the CLI does)
 * in, the reference's pixel path ({@link FaceTensors}) through the network, the super-resolved face out, or a
 * {@link DicOutput}. Faces of a {@code batchPredict} go through the network as one batch.
 *
 * @param <O> {@link Image} (the SR face) or {@link DicOutput} (every step and the landmarks)
 */
public final class DicTranslator<O> implements Translator<Image, O> {

    private final Function<DicOutput, O> view;

    private DicTranslator(Function<DicOutput, O> view) {
        this.view = view;
    }

    /** Face in, super-resolved face out. */
    public static DicTranslator<Image> image() {
        return new DicTranslator<>(DicOutput::sr);
    }

    /** Face in, every step's SR image and the landmarks out. */
    public static DicTranslator<DicOutput> full() {
        return new DicTranslator<>(Function.identity());
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Image input) {
        BufferedImage face = DicPredictor.asInput(toBufferedImage(input));
        int s = DicPredictor.INPUT_SIZE;
        return new NDList(ctx.getNDManager().create(FaceTensors.toTensor(face), new Shape(3, s, s)));
    }

    @Override
    public O processOutput(TranslatorContext ctx, NDList list) {
        // one face's outputs, the batch dimension taken off by the batchifier
        NDList batched = new NDList(list.size());
        for (NDArray a : list) {
            batched.add(a.expandDims(0));
        }
        DicPredictor.Result r = NetworkOutputs.decode(DicNet.Steps.of(batched), Peaks.Decoding.SUBPIXEL).get(0);
        ImageFactory images = ImageFactory.getInstance();
        List<Image> steps = new ArrayList<>();
        for (BufferedImage step : r.steps()) {
            steps.add(images.fromImage(step));
        }
        List<Point> points = new ArrayList<>();
        for (float[] p : r.landmarks()) {
            points.add(new Point(p[0], p[1]));
        }
        BufferedImage sr = r.sr();
        return view.apply(new DicOutput(steps, new Landmark(0, 0, sr.getWidth(), sr.getHeight(), points)));
    }

    @Override
    public Batchifier getBatchifier() {
        return Batchifier.STACK;
    }

    private static BufferedImage toBufferedImage(Image image) {
        if (image.getWrappedImage() instanceof BufferedImage b) {
            return b;
        }
        throw new IllegalArgumentException("DIC's translator reads Java2D images (DJL's default ImageFactory), got a "
                + image.getWrappedImage().getClass().getName());
    }
}
