package io.dic4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.dic4j.data.FaceSample;
import io.dic4j.infer.DicPredictor;
import io.dic4j.model.LightCnn;
import io.dic4j.model.layers.ForwardMode;
import io.dic4j.model.layers.ForwardPass;
import io.dic4j.model.ops.Constants;
import io.dic4j.weights.StateDict;
import io.dic4j.weights.StateDictNames;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training DICGAN: DIC's per-step pixel and heatmap losses, and on the last step's SR the distance of LightCNN
 * features to the HR's ({@code loss.feature}) and the vanilla GAN loss of a LightCNN discriminator
 * ({@code loss.GAN}), which is trained after each generator update on HR (real) and the detached SR (fake).
 * The reference's solver adds the last SR's pixel loss once per step and fails without a feature loss; this is the
 * loss it intends, and any configured subset of the terms works. Validation, checkpoints and the model file are
 * DIC's; the discriminator and its optimizer are in the checkpoints too.
 */
public final class GanTask implements TrainingTask {

    /** Log names of the generator's extra terms and of the discriminator's values. */
    public static final String FEATURE = "loss_feature";
    public static final String ADVERSARIAL = "loss_gan";
    public static final String D_REAL = "d_real";
    public static final String D_FAKE = "d_fake";

    private final DicTask generator;
    private final LightCnn extractor;
    private final Discriminator discriminator;
    private final TrainOptions.Gan options;

    private GanTask(DicTask generator, LightCnn extractor, Discriminator discriminator, TrainOptions.Gan options) {
        this.generator = generator;
        this.extractor = extractor;
        this.discriminator = discriminator;
        this.options = options;
    }

    /**
     * DICGAN from the options: the generator as {@link DicTask#create} makes it (from a DIC model with
     * {@code pretrain: true}), the feature extractor from {@code extractor_pretrained_path} (frozen), the
     * discriminator with PyTorch's default initialisation.
     */
    public static GanTask create(TrainOptions options, NDManager manager) throws IOException {
        TrainOptions.Gan gan = options.gan();
        DicTask generator = DicTask.create(options, manager);
        Shape face = new Shape(1, 3, DicPredictor.INPUT_SIZE * options.networks().scale(),
                DicPredictor.INPUT_SIZE * options.networks().scale());
        LightCnn extractor = null;
        if (gan.feature() != null) {
            extractor = LightCnn.featureExtractor();
            extractor.initialize(manager, DataType.FLOAT32, face);
            // a discriminator's file serves too: its feature layers are the extractor's
            StateDict weights = StateDict.read(gan.extractorPath());
            weights.only(StateDictNames.torchNames(extractor).keySet()).loadInto(extractor);
            extractor.getParameters().values().forEach(p -> p.getArray().setRequiresGradient(false));
        }
        Discriminator discriminator = null;
        if (gan.adversarialWeight() != null) {
            LightCnn d = LightCnn.discriminator();
            d.initialize(manager, DataType.FLOAT32, face);
            discriminator = new Discriminator(d, gan);
        }
        return new GanTask(generator, extractor, discriminator, gan);
    }

    @Override
    public Losses backward(NDManager m, List<FaceSample> batch, GradientCollector gc) {
        ParameterStore ps = ForwardPass.of(m, ForwardMode.RECORDED);
        return generator.backward(m, batch, gc, (sr, hr) -> {
            Map<String, NDArray> terms = new LinkedHashMap<>();
            if (extractor != null) {
                NDArray target = extractor.forward(ps, new NDList(hr), false).head().stopGradient();
                NDArray features = extractor.forward(ps, new NDList(sr), false).head();
                terms.put(FEATURE, options.feature().of(features, target));
            }
            if (discriminator != null) {
                NDArray logits = discriminator.network().forward(ps, new NDList(sr), true).head();
                terms.put(ADVERSARIAL, GanLoss.of(logits, true)
                        .mul(Constants.scalar(m, options.adversarialWeight().floatValue())));
            }
            return terms;
        });
    }

    @Override
    public Adversary adversary() {
        return discriminator;
    }

    @Override
    public Block network() {
        return generator.network();
    }

    @Override
    public Block hourglass() {
        return generator.hourglass();
    }

    @Override
    public Map<String, String> modelMetadata() {
        return generator.modelMetadata();
    }

    @Override
    public Map<String, Double> validate(Iterator<List<FaceSample>> batches, int gridFaces, Path dir)
            throws IOException {
        return generator.validate(batches, gridFaces, dir);
    }

    @Override
    public String bestMetric() {
        return generator.bestMetric();
    }

    @Override
    public boolean higherIsBetter() {
        return generator.higherIsBetter();
    }

    @Override
    public void saveModel(Path file) throws IOException {
        generator.saveModel(file);
    }

    /** The LightCNN discriminator: BCE of real faces against 1 and of the generator's SR against 0. */
    private record Discriminator(LightCnn network, TrainOptions.Gan options) implements Adversary {

        @Override
        public double learningRate() {
            return options.learningRate();
        }

        @Override
        public double weightDecay() {
            return options.weightDecay();
        }

        @Override
        public Losses loss(NDManager m, NDArray real, NDArray fake) {
            ParameterStore ps = ForwardPass.of(m, ForwardMode.RECORDED);
            NDArray realLogits = network.forward(ps, new NDList(real), true).head();
            NDArray fakeLogits = network.forward(ps, new NDList(fake), true).head();
            Map<String, NDArray> logged = new LinkedHashMap<>();
            logged.put(D_REAL, realLogits.mean());
            logged.put(D_FAKE, fakeLogits.mean());
            return new Losses(GanLoss.of(realLogits, true).add(GanLoss.of(fakeLogits, false)), logged, null, null);
        }
    }
}
