package io.dic4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dic4j.data.LrResample;
import io.dic4j.data.SampleOptions;
import io.dic4j.model.DicConfig;
import io.dic4j.util.JsonSection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
    /** dic4j's dataset key of {@link LrResample}. */
    static final String LR_RESAMPLE = "lr_resample";

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

    /**
     * Reads an option file's tree (see {@code OptionFiles.read}).
     *
     * @param ignored receives the keys that were accepted but mean nothing here
     * @throws IllegalArgumentException naming the unknown, missing or invalid key
     */
    public static TrainOptions fromJson(JsonNode root, List<String> ignored) {
        JsonSection top = new JsonSection(root, "", ignored);
        top.ignore("gpu_ids", "use_tb_logger", "is_train", "save_image", "_comment", "timestamp");
        String mode = top.text("mode");
        if (!mode.equals(MODE) && !mode.equals(GAN_MODE)) {
            throw new IllegalArgumentException("mode must be \"" + MODE + "\" (DIC) or \"" + GAN_MODE
                    + "\" (DICGAN), got \"" + mode + "\"");
        }
        boolean gan = mode.equals(GAN_MODE);
        top.expect("rgb_range", 1);
        top.expect("scale", 8);
        String name = top.text("name");
        JsonSection datasets = top.section("datasets");
        Dataset train = dataset(datasets.section("train"), true);
        Dataset val = datasets.has("val") ? dataset(datasets.section("val"), false) : null;
        datasets.finish();
        List<String> networkNotes = new ArrayList<>();
        DicConfig networks = DicConfig.fromJson(root, networkNotes);
        networkNotes.stream().filter(k -> k.startsWith("networks.")).forEach(ignored::add);
        top.raw("networks");
        JsonSection solverSection = top.section("solver");
        JsonSection loss = solverSection.section("loss");
        Gan ganOptions = null;
        if (gan) {
            expectModel(top, "net_D", "which_model_D");
            if (top.has("net_F")) {
                expectModel(top, "net_F", "which_model_F");
            }
            ganOptions = gan(solverSection, loss);
        }
        Solver solver = solver(solverSection, loss, gan);
        loss.finish();
        solverSection.finish();
        JsonSection logger = top.section("logger");
        int printFreq = logger.integer("print_freq");
        logger.finish();
        Path pathRoot = null;
        if (top.has("path")) {
            JsonSection path = top.section("path");
            pathRoot = path.path("root");
            path.finish();
        }
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

    private static void expectModel(JsonSection top, String section, String key) {
        JsonSection s = top.section(section);
        s.expect(key, LIGHT_CNN);
        s.text(key);
        s.finish();
    }

    /** DICGAN's solver keys. */
    private static Gan gan(JsonSection s, JsonSection loss) {
        DicLoss.Term feature = loss.has("feature") ? term(loss.section("feature")) : null;
        Double adversarial = null;
        if (loss.has("GAN")) {
            JsonSection g = loss.section("GAN");
            g.expect("loss_type", "GAN");
            g.expect("gan_type", "vanilla");
            g.text("loss_type");
            g.text("gan_type");
            adversarial = g.number("weight");
            g.finish();
        }
        return new Gan(s.number("learning_rate_D"), s.number("weight_decay_D", 0),
                s.optionalPath("extractor_pretrained_path"), feature, adversarial);
    }

    private static Dataset dataset(JsonSection d, boolean training) {
        d.expect("mode", "HRLandmark");
        d.expect("data_type", "img");
        d.ignore("phase", "scale", "rgb_range", "_comment");
        String name = d.text("name");
        Path images = d.path("dataroot_HR");
        Path annotations = d.optionalPath("info_path");
        int batch = d.integer("batch_size", training ? 8 : 1);
        int workers = d.integer("n_workers", 2);
        double[] distort = d.has("distort") ? d.numbers("distort", 2) : new double[] {1, 1};
        d.raw("distort");
        LrResample lrResample = d.has(LR_RESAMPLE) ? lrResample(d.section(LR_RESAMPLE)) : null;
        d.raw(LR_RESAMPLE);
        SampleOptions sampling = new SampleOptions(d.integer("HR_size"), d.integer("LR_size"), d.number("sigma", 1),
                d.bool("use_flip", false), d.bool("use_rot", false), distort[0], distort[1], lrResample);
        Path imageList = d.optionalPath("image_list");
        Path excludeList = d.optionalPath("exclude_list");
        d.finish();
        if (batch < 1 || workers < 1) {
            throw new IllegalArgumentException("batch_size and n_workers must be at least 1 in dataset " + name);
        }
        return new Dataset(name, images, annotations, batch, workers, sampling, imageList, excludeList);
    }

    private static LrResample lrResample(JsonSection r) {
        LrResample resample = new LrResample(r.number("probability"), r.number("max_rotation"), r.number("max_scale"),
                r.number("max_shift"));
        r.finish();
        return resample;
    }

    private static Solver solver(JsonSection s, JsonSection loss, boolean gan) {
        s.expect("type", "ADAM");
        s.expect("lr_scheme", "MultiStepLR");
        s.ignore("log_full_step", "_comment");
        JsonNode pretrainNode = s.raw("pretrain");
        Pretrain pretrain;
        if (pretrainNode == null || pretrainNode.isNull() || pretrainNode.isBoolean() && !pretrainNode.booleanValue()) {
            pretrain = Pretrain.NONE;
        } else if (pretrainNode.isBoolean() || "finetune".equals(pretrainNode.asText())) {
            pretrain = Pretrain.FINETUNE;
        } else if ("resume".equals(pretrainNode.asText())) {
            pretrain = Pretrain.RESUME;
        } else {
            throw new IllegalArgumentException("solver.pretrain must be false, true or \"resume\", got " + pretrainNode);
        }
        // DICGAN's files may leave out any term; DIC's name both
        DicLoss dicLoss = new DicLoss(gan && !loss.has("pixel") ? null : term(loss.section("pixel")),
                gan && !loss.has("align") ? null : term(loss.section("align")));
        String suffix = gan ? "_G" : "";
        Path pretrained = s.optionalPath("pretrained_path");
        Path generator = gan ? s.optionalPath("generator_pretrained_path") : null;
        return new Solver(s.number("learning_rate" + suffix), s.number("weight_decay" + suffix, 0),
                s.integers("lr_steps"), s.number("lr_gamma"), s.integer("manual_seed", 0), s.integer("save_freq"),
                s.integer("val_freq"), s.integer("niter"), s.integer("num_save_image", 20), pretrain,
                pretrained != null ? pretrained : generator, s.optionalInteger("release_HG_grad_step"),
                s.optionalPath("HG_pretrained_path"), dicLoss, s.bool("recompute_steps", false));
    }

    private static DicLoss.Term term(JsonSection t) {
        DicLoss.Term term = new DicLoss.Term(DicLoss.Kind.of(t.text("loss_type")), t.number("weight"),
                t.number("foreground_weight", DicLoss.NO_FOREGROUND_WEIGHT));
        t.finish();
        return term;
    }

    /** The options as a complete option file in the authors' format (every key explicit). */
    public ObjectNode toJson() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("name", name);
        root.put("mode", gan == null ? MODE : GAN_MODE);
        root.put("scale", networks.scale());
        root.put("rgb_range", 1);
        ObjectNode datasets = root.putObject("datasets");
        datasets.set("train", datasetJson(json, train, true));
        if (val != null) {
            datasets.set("val", datasetJson(json, val, false));
        }
        root.set("networks", networks.toJson());
        if (gan != null) {
            root.putObject("net_D").put("which_model_D", LIGHT_CNN);
            root.putObject("net_F").put("which_model_F", LIGHT_CNN);
        }
        ObjectNode s = root.putObject("solver");
        s.put("type", "ADAM");
        String suffix = gan == null ? "" : "_G";
        s.put("learning_rate" + suffix, solver.learningRate());
        s.put("weight_decay" + suffix, solver.weightDecay());
        if (gan != null) {
            s.put("learning_rate_D", gan.learningRate());
            s.put("weight_decay_D", gan.weightDecay());
            putPath(s, "extractor_pretrained_path", gan.extractorPath());
        }
        s.put("lr_scheme", "MultiStepLR");
        ArrayNode steps = s.putArray("lr_steps");
        solver.lrSteps().forEach(steps::add);
        s.put("lr_gamma", solver.lrGamma());
        s.put("manual_seed", solver.seed());
        s.put("save_freq", solver.saveFreq());
        s.put("val_freq", solver.valFreq());
        s.put("niter", solver.iterations());
        s.put("num_save_image", solver.numSaveImage());
        switch (solver.pretrain()) {
            case NONE -> s.put("pretrain", false);
            case FINETUNE -> s.put("pretrain", true);
            case RESUME -> s.put("pretrain", "resume");
        }
        putPath(s, "pretrained_path", solver.pretrainedPath());
        if (solver.releaseHourglassStep() != null) {
            s.put("release_HG_grad_step", solver.releaseHourglassStep());
        }
        putPath(s, "HG_pretrained_path", solver.hourglassPretrainedPath());
        s.put("recompute_steps", solver.recomputeSteps());
        ObjectNode loss = s.putObject("loss");
        termJson(loss, "pixel", solver.loss().pixel());
        termJson(loss, "align", solver.loss().align());
        if (gan != null) {
            termJson(loss, "feature", gan.feature());
            if (gan.adversarialWeight() != null) {
                loss.putObject("GAN").put("loss_type", "GAN").put("gan_type", "vanilla")
                        .put("weight", gan.adversarialWeight());
            }
        }
        root.putObject("logger").put("print_freq", printFreq);
        if (this.root != null) {
            root.putObject("path").put("root", this.root.toString());
        }
        return root;
    }

    private static ObjectNode datasetJson(ObjectMapper json, Dataset d, boolean training) {
        ObjectNode o = json.createObjectNode();
        o.put("mode", "HRLandmark");
        o.put("name", d.name());
        o.put("dataroot_HR", d.images().toString());
        putPath(o, "info_path", d.annotations());
        putPath(o, "image_list", d.imageList());
        putPath(o, "exclude_list", d.excludeList());
        o.put("data_type", "img");
        o.put("n_workers", d.workers());
        if (training) {
            o.put("batch_size", d.batchSize());
        }
        SampleOptions s = d.sampling();
        o.put("LR_size", s.lrSize());
        o.put("HR_size", s.hrSize());
        o.put("use_flip", s.flip());
        o.put("use_rot", s.rotate());
        o.put("sigma", s.sigma());
        if (s.distorts()) {
            o.putArray("distort").add(s.distortMin()).add(s.distortMax());
        }
        LrResample r = s.lrResample();
        if (r != null) {
            o.putObject(LR_RESAMPLE).put("probability", r.probability()).put("max_rotation", r.maxRotation())
                    .put("max_scale", r.maxScale()).put("max_shift", r.maxShift());
        }
        return o;
    }

    private static void putPath(ObjectNode o, String key, Path p) {
        if (p != null) {
            o.put(key, p.toString());
        }
    }

    private static void termJson(ObjectNode loss, String key, DicLoss.Term t) {
        if (t != null) {
            ObjectNode term = loss.putObject(key).put("loss_type", t.kind().key()).put("weight", t.weight());
            if (t.foregroundWeight() != DicLoss.NO_FOREGROUND_WEIGHT) {
                term.put("foreground_weight", t.foregroundWeight());
            }
        }
    }
}
