package io.dic4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.dic4j.data.LrResample;
import io.dic4j.data.SampleOptions;
import io.dic4j.model.DicConfig;
import io.dic4j.util.JsonSection;
import io.dic4j.util.OptionKey;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A training run: the authors' {@code train_DIC_*.json} and {@code train_DICGAN_*.json} option files, one record
 * field per key they use.
 * Keys that mean nothing here ({@code gpu_ids}, {@code use_tb_logger}…) are reported as ignored;
 * unknown keys are errors. {@link #toJson()} writes the same format back, complete: dic4j's own option file.
 *
 * @param name the experiment's name ({@code name})
 * @param train the training set ({@code datasets.train})
 * @param val the validation set ({@code datasets.val}), or null for none
 * @param networks the network ({@code networks}; {@code scale} may sit at the top level, as in the authors' files)
 * @param solver optimisation, schedule, checkpoints ({@code solver})
 * @param printFreq iterations between log lines ({@code logger.print_freq})
 * @param gan DICGAN's additions ({@code mode: "sr_align_gan"}), or null for DIC
 * @param root {@code path.root}, under which the reference keeps its {@code experiments/}, or null
 */
public record TrainOptions(String name, Dataset train, Dataset val, DicConfig networks, Solver solver, int printFreq,
        Gan gan, Path root) {

    /** The solver mode of DIC. */
    public static final String MODE = "sr_align";
    /** The solver mode of DICGAN. */
    public static final String GAN_MODE = "sr_align_gan";
    /** The one discriminator and feature network the reference offers for faces. */
    public static final String LIGHT_CNN = "LightCNN";

    /**
     * One dataset section.
     *
     * @param name its {@code name}
     * @param images {@code dataroot_HR}
     * @param annotations {@code info_path}: a pickle, a box CSV or a landmark folder (see {@code FaceDataset})
     * @param batchSize {@code batch_size} (training only; 1 for validation)
     * @param workers {@code n_workers}
     * @param sampling {@code HR_size}, {@code LR_size}, {@code sigma}, {@code use_flip}, {@code use_rot},
     *     {@code distort}, and dic4j's {@code lr_resample} ({@code probability}, {@code max_rotation},
     *     {@code max_scale}, {@code max_shift}; see {@link LrResample})
     * @param imageList {@code image_list} (dic4j's): a text file of image names, the only faces used; or null
     * @param excludeList {@code exclude_list} (dic4j's): a text file of image names left out (a held-out split);
     *     or null
     */
    public record Dataset(String name, Path images, Path annotations, int batchSize, int workers,
            SampleOptions sampling, Path imageList, Path excludeList) {}

    /** {@code pretrain}: false, "resume" or true. */
    public enum Pretrain {
        /** From scratch (and the pre-trained hourglass, if any). */
        NONE,
        /** Continue a dic4j checkpoint: weights, optimizer, schedule, step. */
        RESUME,
        /** Start from another model's weights (the authors' checkpoints included), optimizer fresh. */
        FINETUNE
    }

    /**
     * DICGAN's keys: a LightCNN discriminator ({@code net_D}) and feature extractor ({@code net_F}), their
     * solver settings and loss terms, all on the last step's SR. A loss left out is not computed; with no
     * adversarial term there is no discriminator.
     *
     * @param learningRate {@code solver.learning_rate_D}
     * @param weightDecay {@code solver.weight_decay_D}
     * @param extractorPath {@code solver.extractor_pretrained_path}: the feature extractor's weights (the
     *     authors' {@code LightCNN_feature.pth} or a dic4j LightCNN file), required by a feature loss
     * @param feature {@code solver.loss.feature}: distance of LightCNN features of SR_last and HR, or null
     * @param adversarialWeight {@code solver.loss.GAN.weight} (vanilla GAN: BCE with logits), or null
     */
    public record Gan(double learningRate, double weightDecay, Path extractorPath, DicLoss.Term feature,
            Double adversarialWeight) {

        public Gan {
            if (feature != null && extractorPath == null) {
                throw new IllegalArgumentException("solver.loss.feature needs the feature extractor's weights: set "
                        + "solver.extractor_pretrained_path (the authors' LightCNN_feature.pth, or a dic4j LightCNN "
                        + "file), or remove the feature loss");
            }
        }
    }

    /**
     * The {@code solver} section.
     *
     * @param learningRate {@code learning_rate} ({@code learning_rate_G} in DICGAN's files)
     * @param weightDecay {@code weight_decay} ({@code weight_decay_G} in DICGAN's files)
     * @param lrSteps {@code lr_steps} (MultiStepLR milestones)
     * @param lrGamma {@code lr_gamma}
     * @param seed {@code manual_seed}
     * @param saveFreq {@code save_freq}
     * @param valFreq {@code val_freq}
     * @param iterations {@code niter}
     * @param numSaveImage {@code num_save_image}: faces in each validation grid
     * @param pretrain {@code pretrain}
     * @param pretrainedPath {@code pretrained_path} (or DICGAN's {@code generator_pretrained_path}), required
     *     unless pretrain is NONE
     * @param releaseHourglassStep {@code release_HG_grad_step}: the hourglass is frozen before this many
     *     iterations are done; null (absent) keeps it frozen throughout, as the reference does
     * @param hourglassPretrainedPath {@code HG_pretrained_path}, or null
     * @param loss {@code loss.pixel} and {@code loss.align} (each optional in DICGAN's files)
     * @param recomputeSteps {@code recompute_steps} (dic4j's; default false): back-propagate DIC one step at a
     *     time, recomputing that step's activations, so that training holds one step's activations instead of
     *     all T (a batch of 8 of the paper's network then fits in 12 GB), for one more forward pass
     */
    public record Solver(double learningRate, double weightDecay, List<Integer> lrSteps, double lrGamma, long seed,
            int saveFreq, int valFreq, int iterations, int numSaveImage, Pretrain pretrain, Path pretrainedPath,
            Integer releaseHourglassStep, Path hourglassPretrainedPath, DicLoss loss, boolean recomputeSteps) {

        public Solver {
            lrSteps = List.copyOf(lrSteps);
            if (saveFreq < 1 || valFreq < 1 || iterations < 1) {
                throw new IllegalArgumentException("solver.save_freq, val_freq and niter must be at least 1");
            }
            if (pretrain != Pretrain.NONE && pretrainedPath == null) {
                throw new IllegalArgumentException("solver.pretrain is " + pretrain.name().toLowerCase()
                        + " but solver.pretrained_path is missing");
            }
        }

        public MultiStepLr schedule() {
            return new MultiStepLr(learningRate, lrSteps, lrGamma);
        }

        /** Whether the hourglass trains in the iteration that follows {@code stepsDone} completed ones. */
        public boolean hourglassTrains(long stepsDone) {
            return releaseHourglassStep != null && stepsDone >= releaseHourglassStep;
        }
    }

    // The keys of each section, in the order written; each section's reader below reads the same constants.

    /** The only dataset class dic4j implements: faces with landmarks. */
    private static final OptionKey<Dataset, String> DATASET_MODE = OptionKey.fixed("mode", "HRLandmark");
    private static final OptionKey<Dataset, String> DATASET_NAME = OptionKey.text("name", Dataset::name);
    private static final OptionKey<Dataset, Path> IMAGES = OptionKey.path("dataroot_HR", Dataset::images);
    private static final OptionKey<Dataset, Path> ANNOTATIONS =
            OptionKey.path("info_path", Dataset::annotations).optional();
    private static final OptionKey<Dataset, Path> IMAGE_LIST =
            OptionKey.path("image_list", Dataset::imageList).optional();
    private static final OptionKey<Dataset, Path> EXCLUDE_LIST =
            OptionKey.path("exclude_list", Dataset::excludeList).optional();
    /** dic4j reads image files only. */
    private static final OptionKey<Dataset, String> DATA_TYPE = OptionKey.fixed("data_type", "img");
    private static final OptionKey<Dataset, Integer> WORKERS =
            OptionKey.integer("n_workers", Dataset::workers).withDefault(2);
    /** Its default depends on the set (see {@link #dataset}). */
    private static final OptionKey<Dataset, Integer> BATCH_SIZE = OptionKey.integer("batch_size", Dataset::batchSize);
    private static final OptionKey<Dataset, Integer> LR_SIZE =
            OptionKey.integer("LR_size", d -> d.sampling().lrSize());
    private static final OptionKey<Dataset, Integer> HR_SIZE =
            OptionKey.integer("HR_size", d -> d.sampling().hrSize());
    private static final OptionKey<Dataset, Boolean> FLIP =
            OptionKey.bool("use_flip", (Dataset d) -> d.sampling().flip()).withDefault(false);
    private static final OptionKey<Dataset, Boolean> ROTATE =
            OptionKey.bool("use_rot", (Dataset d) -> d.sampling().rotate()).withDefault(false);
    private static final OptionKey<Dataset, Double> SIGMA =
            OptionKey.number("sigma", (Dataset d) -> d.sampling().sigma()).withDefault(1.0);
    /** [min, max] of the crop's aspect ratio; [1, 1], no stretching, is left out as the authors' files leave it. */
    private static final OptionKey<Dataset, List<Double>> DISTORT = OptionKey.numbers("distort", 2,
            (Dataset d) -> List.of(d.sampling().distortMin(), d.sampling().distortMax())).optional(List.of(1.0, 1.0));

    private static final OptionKey<LrResample, Double> PROBABILITY =
            OptionKey.number("probability", LrResample::probability);
    private static final OptionKey<LrResample, Double> MAX_ROTATION =
            OptionKey.number("max_rotation", LrResample::maxRotation);
    private static final OptionKey<LrResample, Double> MAX_SCALE = OptionKey.number("max_scale", LrResample::maxScale);
    private static final OptionKey<LrResample, Double> MAX_SHIFT = OptionKey.number("max_shift", LrResample::maxShift);
    private static final List<OptionKey<LrResample, ?>> LR_RESAMPLE_KEYS =
            List.of(PROBABILITY, MAX_ROTATION, MAX_SCALE, MAX_SHIFT);

    /** dic4j's: absent, the exact chain of the paper. */
    private static final OptionKey<Dataset, LrResample> LR_RESAMPLE = OptionKey.section("lr_resample",
            LR_RESAMPLE_KEYS, TrainOptions::lrResample, (Dataset d) -> d.sampling().lrResample()).optional();

    private static final List<OptionKey<Dataset, ?>> TRAIN_KEYS = List.of(DATASET_MODE, DATASET_NAME, IMAGES,
            ANNOTATIONS, IMAGE_LIST, EXCLUDE_LIST, DATA_TYPE, WORKERS, BATCH_SIZE, LR_SIZE, HR_SIZE, FLIP, ROTATE,
            SIGMA, DISTORT, LR_RESAMPLE);
    /** Validation goes one face at a time: its batch_size is not written (see {@link #dataset}). */
    private static final List<OptionKey<Dataset, ?>> VAL_KEYS =
            TRAIN_KEYS.stream().filter(k -> k != BATCH_SIZE).toList();

    private static final OptionKey<TrainOptions, Dataset> TRAIN =
            OptionKey.section("train", TRAIN_KEYS, d -> dataset(d, true), TrainOptions::train);
    private static final OptionKey<TrainOptions, Dataset> VAL =
            OptionKey.section("val", VAL_KEYS, d -> dataset(d, false), TrainOptions::val).optional();
    private static final List<OptionKey<TrainOptions, ?>> DATASETS_KEYS = List.of(TRAIN, VAL);

    /** DICGAN's discriminator and feature extractor: the reference offers LightCNN only. */
    private static final OptionKey<TrainOptions, String> NET_D = lightCnn("net_D", "which_model_D");
    /** May be left out: a run without a feature loss has no feature extractor. */
    private static final OptionKey<TrainOptions, String> NET_F = lightCnn("net_F", "which_model_F").optional();
    private static final List<OptionKey<TrainOptions, ?>> GAN_NETWORKS_KEYS = List.of(NET_D, NET_F);

    /** The only optimizer dic4j implements. */
    private static final OptionKey<TrainOptions, String> TYPE = OptionKey.fixed("type", "ADAM");
    private static final OptionKey<TrainOptions, Double> LEARNING_RATE =
            OptionKey.number("learning_rate", o -> o.solver().learningRate());
    private static final OptionKey<TrainOptions, Double> WEIGHT_DECAY =
            OptionKey.number("weight_decay", (TrainOptions o) -> o.solver().weightDecay()).withDefault(0.0);
    /** DICGAN's files name the generator's rates with _G, beside the discriminator's (_D). */
    private static final OptionKey<TrainOptions, Double> LEARNING_RATE_G = LEARNING_RATE.renamed("learning_rate_G");
    private static final OptionKey<TrainOptions, Double> WEIGHT_DECAY_G = WEIGHT_DECAY.renamed("weight_decay_G");
    private static final OptionKey<TrainOptions, Double> LEARNING_RATE_D =
            OptionKey.number("learning_rate_D", o -> o.gan().learningRate());
    private static final OptionKey<TrainOptions, Double> WEIGHT_DECAY_D =
            OptionKey.number("weight_decay_D", (TrainOptions o) -> o.gan().weightDecay()).withDefault(0.0);
    private static final OptionKey<TrainOptions, Path> EXTRACTOR_PATH =
            OptionKey.path("extractor_pretrained_path", (TrainOptions o) -> o.gan().extractorPath()).optional();
    /** The only schedule dic4j implements. */
    private static final OptionKey<TrainOptions, String> LR_SCHEME = OptionKey.fixed("lr_scheme", "MultiStepLR");
    private static final OptionKey<TrainOptions, List<Integer>> LR_STEPS =
            OptionKey.integers("lr_steps", o -> o.solver().lrSteps());
    private static final OptionKey<TrainOptions, Double> LR_GAMMA =
            OptionKey.number("lr_gamma", o -> o.solver().lrGamma());
    /** Read as an int, so the long it is kept in always fits back. */
    private static final OptionKey<TrainOptions, Integer> MANUAL_SEED =
            OptionKey.integer("manual_seed", (TrainOptions o) -> Math.toIntExact(o.solver().seed())).withDefault(0);
    private static final OptionKey<TrainOptions, Integer> SAVE_FREQ =
            OptionKey.integer("save_freq", o -> o.solver().saveFreq());
    private static final OptionKey<TrainOptions, Integer> VAL_FREQ =
            OptionKey.integer("val_freq", o -> o.solver().valFreq());
    private static final OptionKey<TrainOptions, Integer> NITER =
            OptionKey.integer("niter", o -> o.solver().iterations());
    private static final OptionKey<TrainOptions, Integer> NUM_SAVE_IMAGE =
            OptionKey.integer("num_save_image", (TrainOptions o) -> o.solver().numSaveImage()).withDefault(20);
    /** The reference's false and true, and dic4j's "resume", in one key (see {@link #pretrain}). */
    private static final OptionKey<TrainOptions, Pretrain> PRETRAIN =
            OptionKey.of("pretrain", TrainOptions::pretrain, TrainOptions::pretrainJson, o -> o.solver().pretrain());
    private static final OptionKey<TrainOptions, Path> PRETRAINED_PATH =
            OptionKey.path("pretrained_path", (TrainOptions o) -> o.solver().pretrainedPath()).optional();
    private static final OptionKey<TrainOptions, Integer> RELEASE_HG_GRAD_STEP = OptionKey.integer(
            "release_HG_grad_step", (TrainOptions o) -> o.solver().releaseHourglassStep()).optional();
    private static final OptionKey<TrainOptions, Path> HG_PRETRAINED_PATH =
            OptionKey.path("HG_pretrained_path", (TrainOptions o) -> o.solver().hourglassPretrainedPath()).optional();
    private static final OptionKey<TrainOptions, Boolean> RECOMPUTE_STEPS =
            OptionKey.bool("recompute_steps", (TrainOptions o) -> o.solver().recomputeSteps()).withDefault(false);

    private static final List<OptionKey<TrainOptions, ?>> SOLVER_KEYS = solverKeys(LEARNING_RATE, WEIGHT_DECAY);
    private static final List<OptionKey<TrainOptions, ?>> GAN_SOLVER_KEYS =
            solverKeys(LEARNING_RATE_G, WEIGHT_DECAY_G, LEARNING_RATE_D, WEIGHT_DECAY_D, EXTRACTOR_PATH);

    private static final OptionKey<DicLoss.Term, String> LOSS_TYPE =
            OptionKey.text("loss_type", t -> t.kind().key());
    private static final OptionKey<DicLoss.Term, Double> WEIGHT = OptionKey.number("weight", DicLoss.Term::weight);
    /** dic4j's: absent, a term weighs every pixel alike, as in the reference. */
    private static final OptionKey<DicLoss.Term, Double> FOREGROUND_WEIGHT =
            OptionKey.number("foreground_weight", DicLoss.Term::foregroundWeight)
                    .optional(DicLoss.NO_FOREGROUND_WEIGHT);
    private static final List<OptionKey<DicLoss.Term, ?>> TERM_KEYS = List.of(LOSS_TYPE, WEIGHT, FOREGROUND_WEIGHT);

    /** The only adversarial loss dic4j implements; a GAN term names it all the same, as the reference's files do. */
    private static final OptionKey<Double, String> GAN_LOSS_TYPE = OptionKey.requiredFixed("loss_type", "GAN");
    private static final OptionKey<Double, String> GAN_TYPE = OptionKey.requiredFixed("gan_type", "vanilla");
    private static final OptionKey<Double, Double> GAN_WEIGHT = OptionKey.number("weight", w -> w);
    private static final List<OptionKey<Double, ?>> GAN_TERM_KEYS = List.of(GAN_LOSS_TYPE, GAN_TYPE, GAN_WEIGHT);

    private static final OptionKey<TrainOptions, DicLoss.Term> PIXEL = termKey("pixel", o -> o.solver().loss().pixel());
    private static final OptionKey<TrainOptions, DicLoss.Term> ALIGN = termKey("align", o -> o.solver().loss().align());
    private static final OptionKey<TrainOptions, DicLoss.Term> FEATURE =
            termKey("feature", o -> o.gan().feature()).optional();
    private static final OptionKey<TrainOptions, Double> ADVERSARIAL = OptionKey.section("GAN", GAN_TERM_KEYS,
            TrainOptions::adversarialWeight, (TrainOptions o) -> o.gan().adversarialWeight()).optional();
    private static final List<OptionKey<TrainOptions, ?>> LOSS_KEYS = List.of(PIXEL, ALIGN);
    private static final List<OptionKey<TrainOptions, ?>> GAN_LOSS_KEYS = List.of(PIXEL, ALIGN, FEATURE, ADVERSARIAL);

    private static final OptionKey<Integer, Integer> PRINT_FREQ = OptionKey.integer("print_freq", f -> f);
    private static final OptionKey<TrainOptions, Integer> LOGGER =
            OptionKey.section("logger", List.of(PRINT_FREQ), PRINT_FREQ::read, TrainOptions::printFreq);
    private static final OptionKey<Path, Path> ROOT = OptionKey.path("root", p -> p);
    /** Absent, the experiments go under the working directory (see {@link #experimentDir}). */
    private static final OptionKey<TrainOptions, Path> PATH =
            OptionKey.section("path", List.of(ROOT), ROOT::read, TrainOptions::root).optional();

    /**
     * Reads an option file's tree (see {@code OptionFiles.read}).
     *
     * @param ignored receives the keys that were accepted but mean nothing here
     * @throws IllegalArgumentException naming the unknown, missing or invalid key
     */
    public static TrainOptions fromJson(JsonNode root, List<String> ignored) {
        JsonSection top = new JsonSection(root, "", ignored);
        // the reference's devices, logging and bookkeeping: nothing that dic4j's training depends on
        top.ignore("gpu_ids", "use_tb_logger", "is_train", "save_image", "_comment", "timestamp");
        String mode = top.text("mode");
        if (!mode.equals(MODE) && !mode.equals(GAN_MODE)) {
            throw new IllegalArgumentException("mode must be \"" + MODE + "\" (DIC) or \"" + GAN_MODE
                    + "\" (DICGAN), got \"" + mode + "\"");
        }
        boolean gan = mode.equals(GAN_MODE);
        // images in 0..1, and DIC's one scale, which the authors' files give here (DicConfig.fromJson reads it too)
        top.expect("rgb_range", 1);
        top.expect("scale", 8);
        String name = top.text("name");
        JsonSection datasets = top.section("datasets");
        Dataset train = TRAIN.read(datasets);
        Dataset val = VAL.read(datasets);
        datasets.finish();
        List<String> networkNotes = new ArrayList<>();
        DicConfig networks = DicConfig.fromJson(root, networkNotes);
        networkNotes.stream().filter(k -> k.startsWith("networks.")).forEach(ignored::add);
        top.raw("networks");
        JsonSection solverSection = top.section("solver");
        JsonSection loss = solverSection.section("loss");
        Gan ganOptions = null;
        if (gan) {
            NET_D.read(top);
            NET_F.read(top);
            ganOptions = gan(solverSection, loss);
        }
        Solver solver = solver(solverSection, loss, gan);
        loss.finish();
        solverSection.finish();
        int printFreq = LOGGER.read(top);
        Path pathRoot = PATH.read(top);
        top.finish();
        return new TrainOptions(name, train, val, networks, solver, printFreq, ganOptions, pathRoot);
    }

    /**
     * Where the run goes without {@code -o}: {@code <path.root>/experiments/<name>} as in the reference, or
     * {@code experiments/<name>} in the working directory when the file has no {@code path}.
     */
    public Path experimentDir() {
        Path experiments = Path.of("experiments").resolve(name);
        return root == null ? experiments : root.resolve(experiments);
    }

    private static OptionKey<TrainOptions, String> lightCnn(String section, String key) {
        OptionKey<String, String> model = OptionKey.requiredFixed(key, LIGHT_CNN);
        return OptionKey.section(section, List.of(model), model::read, o -> LIGHT_CNN);
    }

    /** The solver's keys, in the order written, with the learning rates of DIC or DICGAN. */
    @SafeVarargs
    private static List<OptionKey<TrainOptions, ?>> solverKeys(OptionKey<TrainOptions, ?>... rates) {
        List<OptionKey<TrainOptions, ?>> keys = new ArrayList<>(List.of(TYPE));
        keys.addAll(List.of(rates));
        keys.addAll(List.of(LR_SCHEME, LR_STEPS, LR_GAMMA, MANUAL_SEED, SAVE_FREQ, VAL_FREQ, NITER, NUM_SAVE_IMAGE,
                PRETRAIN, PRETRAINED_PATH, RELEASE_HG_GRAD_STEP, HG_PRETRAINED_PATH, RECOMPUTE_STEPS));
        return List.copyOf(keys);
    }

    private static OptionKey<TrainOptions, DicLoss.Term> termKey(String name,
            Function<TrainOptions, DicLoss.Term> getter) {
        return OptionKey.section(name, TERM_KEYS, TrainOptions::term, getter);
    }

    /** DICGAN's solver keys. */
    private static Gan gan(JsonSection s, JsonSection loss) {
        DicLoss.Term feature = FEATURE.read(loss);
        Double adversarial = ADVERSARIAL.read(loss);
        return new Gan(LEARNING_RATE_D.read(s), WEIGHT_DECAY_D.read(s), EXTRACTOR_PATH.read(s), feature, adversarial);
    }

    private static double adversarialWeight(JsonSection g) {
        GAN_LOSS_TYPE.read(g);
        GAN_TYPE.read(g);
        return GAN_WEIGHT.read(g);
    }

    private static Dataset dataset(JsonSection d, boolean training) {
        DATASET_MODE.read(d);
        DATA_TYPE.read(d);
        // phase follows from the section, scale and rgb_range from the top level
        d.ignore("phase", "scale", "rgb_range", "_comment");
        String name = DATASET_NAME.read(d);
        Path images = IMAGES.read(d);
        Path annotations = ANNOTATIONS.read(d);
        // validation takes one face at a time: a batch_size there is checked, but neither used nor written back
        int batch = BATCH_SIZE.withDefault(training ? 8 : 1).read(d);
        int workers = WORKERS.read(d);
        List<Double> distort = DISTORT.read(d);
        LrResample lrResample = LR_RESAMPLE.read(d);
        SampleOptions sampling = new SampleOptions(HR_SIZE.read(d), LR_SIZE.read(d), SIGMA.read(d), FLIP.read(d),
                ROTATE.read(d), distort.get(0), distort.get(1), lrResample);
        Path imageList = IMAGE_LIST.read(d);
        Path excludeList = EXCLUDE_LIST.read(d);
        if (batch < 1 || workers < 1) {
            throw new IllegalArgumentException("batch_size and n_workers must be at least 1 in dataset " + name);
        }
        return new Dataset(name, images, annotations, batch, workers, sampling, imageList, excludeList);
    }

    private static LrResample lrResample(JsonSection r) {
        return new LrResample(PROBABILITY.read(r), MAX_ROTATION.read(r), MAX_SCALE.read(r), MAX_SHIFT.read(r));
    }

    private static Solver solver(JsonSection s, JsonSection loss, boolean gan) {
        TYPE.read(s);
        LR_SCHEME.read(s);
        // log_full_step shapes the reference's log lines only
        s.ignore("log_full_step", "_comment");
        Pretrain pretrain = PRETRAIN.read(s);
        // DICGAN's files may leave out any term; DIC's name both
        DicLoss dicLoss = gan ? new DicLoss(PIXEL.optional().read(loss), ALIGN.optional().read(loss))
                : new DicLoss(PIXEL.read(loss), ALIGN.read(loss));
        Path pretrained = PRETRAINED_PATH.read(s);
        // DICGAN's files call the generator's starting weights so; dic4j writes pretrained_path for both
        Path generator = gan ? s.optionalPath("generator_pretrained_path") : null;
        return new Solver((gan ? LEARNING_RATE_G : LEARNING_RATE).read(s),
                (gan ? WEIGHT_DECAY_G : WEIGHT_DECAY).read(s), LR_STEPS.read(s), LR_GAMMA.read(s), MANUAL_SEED.read(s),
                SAVE_FREQ.read(s), VAL_FREQ.read(s), NITER.read(s), NUM_SAVE_IMAGE.read(s), pretrain,
                pretrained != null ? pretrained : generator, RELEASE_HG_GRAD_STEP.read(s), HG_PRETRAINED_PATH.read(s),
                dicLoss, RECOMPUTE_STEPS.read(s));
    }

    /** pretrain: false or absent (NONE), true or "finetune" (FINETUNE), "resume" (RESUME). */
    private static Pretrain pretrain(JsonSection s, String key) {
        JsonNode node = s.raw(key);
        if (node == null || node.isNull() || node.isBoolean() && !node.booleanValue()) {
            return Pretrain.NONE;
        } else if (node.isBoolean() || "finetune".equals(node.asText())) {
            return Pretrain.FINETUNE;
        } else if ("resume".equals(node.asText())) {
            return Pretrain.RESUME;
        }
        throw new IllegalArgumentException("solver.pretrain must be false, true or \"resume\", got " + node);
    }

    /** pretrain as the reference writes it where it can: FINETUNE is its true. */
    private static JsonNode pretrainJson(Pretrain pretrain) {
        return switch (pretrain) {
            case NONE -> BooleanNode.FALSE;
            case FINETUNE -> BooleanNode.TRUE;
            case RESUME -> TextNode.valueOf("resume");
        };
    }

    private static DicLoss.Term term(JsonSection t) {
        return new DicLoss.Term(DicLoss.Kind.of(LOSS_TYPE.read(t)), WEIGHT.read(t), FOREGROUND_WEIGHT.read(t));
    }

    /** The options as a complete option file in the authors' format (every key explicit). */
    public ObjectNode toJson() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("name", name);
        root.put("mode", gan == null ? MODE : GAN_MODE);
        // where the authors' files give the scale; their parser copies it into networks, as DicConfig.fromJson does
        root.put("scale", networks.scale());
        root.put("rgb_range", 1);
        OptionKey.writeAll(DATASETS_KEYS, this, root.putObject("datasets"));
        root.set("networks", networks.toJson());
        if (gan != null) {
            OptionKey.writeAll(GAN_NETWORKS_KEYS, this, root);
        }
        ObjectNode solverNode = OptionKey.writeAll(gan == null ? SOLVER_KEYS : GAN_SOLVER_KEYS, this,
                root.putObject("solver"));
        OptionKey.writeAll(gan == null ? LOSS_KEYS : GAN_LOSS_KEYS, this, solverNode.putObject("loss"));
        LOGGER.write(this, root);
        PATH.write(this, root);
        return root;
    }
}
