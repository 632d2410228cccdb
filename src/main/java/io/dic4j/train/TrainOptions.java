package io.dic4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dic4j.data.SampleOptions;
import io.dic4j.model.DicConfig;
import io.dic4j.util.JsonSection;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A training run: the authors' {@code train_DIC_*.json} option files, one record field per key they use.
 * Keys that mean nothing here ({@code gpu_ids}, {@code use_tb_logger}, {@code path}…) are reported as ignored;
 * unknown keys are errors. {@link #toJson()} writes the same format back, complete: dic4j's own option file.
 *
 * @param name the experiment's name ({@code name})
 * @param train the training set ({@code datasets.train})
 * @param val the validation set ({@code datasets.val}), or null for none
 * @param networks the network ({@code networks}; {@code scale} may sit at the top level, as in the authors' files)
 * @param solver optimisation, schedule, checkpoints ({@code solver})
 * @param printFreq iterations between log lines ({@code logger.print_freq})
 */
public record TrainOptions(String name, Dataset train, Dataset val, DicConfig networks, Solver solver, int printFreq) {

    /** The solver mode of DIC; {@code sr_align_gan} is DICGAN. */
    public static final String MODE = "sr_align";

    /**
     * One dataset section.
     *
     * @param name its {@code name}
     * @param images {@code dataroot_HR}
     * @param annotations {@code info_path}: a pickle, a box CSV or a landmark folder (see {@code FaceDataset})
     * @param batchSize {@code batch_size} (training only; 1 for validation)
     * @param workers {@code n_workers}
     * @param sampling {@code HR_size}, {@code LR_size}, {@code sigma}, {@code use_flip}, {@code use_rot},
     *     {@code distort}
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
     * The {@code solver} section.
     *
     * @param learningRate {@code learning_rate}
     * @param weightDecay {@code weight_decay}
     * @param lrSteps {@code lr_steps} (MultiStepLR milestones)
     * @param lrGamma {@code lr_gamma}
     * @param seed {@code manual_seed}
     * @param saveFreq {@code save_freq}
     * @param valFreq {@code val_freq}
     * @param iterations {@code niter}
     * @param numSaveImage {@code num_save_image}: faces in each validation grid
     * @param pretrain {@code pretrain}
     * @param pretrainedPath {@code pretrained_path}, required unless pretrain is NONE
     * @param releaseHourglassStep {@code release_HG_grad_step}: the hourglass is frozen before this many
     *     iterations are done; null (absent) keeps it frozen throughout, as the reference does
     * @param hourglassPretrainedPath {@code HG_pretrained_path}, or null
     * @param loss {@code loss.pixel} and {@code loss.align}
     */
    public record Solver(double learningRate, double weightDecay, List<Integer> lrSteps, double lrGamma, long seed,
            int saveFreq, int valFreq, int iterations, int numSaveImage, Pretrain pretrain, Path pretrainedPath,
            Integer releaseHourglassStep, Path hourglassPretrainedPath, DicLoss loss) {

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
        top.ignore("gpu_ids", "use_tb_logger", "is_train", "save_image", "path", "_comment", "timestamp");
        top.expect("mode", MODE);
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
        Solver solver = solver(top.section("solver"));
        JsonSection logger = top.section("logger");
        int printFreq = logger.integer("print_freq");
        logger.finish();
        top.finish();
        return new TrainOptions(name, train, val, networks, solver, printFreq);
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
        SampleOptions sampling = new SampleOptions(d.integer("HR_size"), d.integer("LR_size"), d.number("sigma", 1),
                d.bool("use_flip", false), d.bool("use_rot", false), distort[0], distort[1]);
        Path imageList = d.optionalPath("image_list");
        Path excludeList = d.optionalPath("exclude_list");
        d.finish();
        if (batch < 1 || workers < 1) {
            throw new IllegalArgumentException("batch_size and n_workers must be at least 1 in dataset " + name);
        }
        return new Dataset(name, images, annotations, batch, workers, sampling, imageList, excludeList);
    }

    private static Solver solver(JsonSection s) {
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
        JsonSection loss = s.section("loss");
        DicLoss dicLoss = new DicLoss(term(loss.section("pixel")), term(loss.section("align")));
        loss.finish();
        Solver solver = new Solver(s.number("learning_rate"), s.number("weight_decay", 0), s.integers("lr_steps"),
                s.number("lr_gamma"), s.integer("manual_seed", 0), s.integer("save_freq"), s.integer("val_freq"),
                s.integer("niter"), s.integer("num_save_image", 20), pretrain, s.optionalPath("pretrained_path"),
                s.optionalInteger("release_HG_grad_step"), s.optionalPath("HG_pretrained_path"), dicLoss);
        s.finish();
        return solver;
    }

    private static DicLoss.Term term(JsonSection t) {
        DicLoss.Term term = new DicLoss.Term(DicLoss.Kind.of(t.text("loss_type")), t.number("weight"));
        t.finish();
        return term;
    }

    /** The options as a complete option file in the authors' format (every key explicit). */
    public ObjectNode toJson() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("name", name);
        root.put("mode", MODE);
        root.put("scale", networks.scale());
        root.put("rgb_range", 1);
        ObjectNode datasets = root.putObject("datasets");
        datasets.set("train", datasetJson(json, train, true));
        if (val != null) {
            datasets.set("val", datasetJson(json, val, false));
        }
        root.set("networks", networks.toJson());
        ObjectNode s = root.putObject("solver");
        s.put("type", "ADAM");
        s.put("learning_rate", solver.learningRate());
        s.put("weight_decay", solver.weightDecay());
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
        ObjectNode loss = s.putObject("loss");
        termJson(loss.putObject("pixel"), solver.loss().pixel());
        termJson(loss.putObject("align"), solver.loss().align());
        root.putObject("logger").put("print_freq", printFreq);
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
        return o;
    }

    private static void putPath(ObjectNode o, String key, Path p) {
        if (p != null) {
            o.put(key, p.toString());
        }
    }

    private static void termJson(ObjectNode o, DicLoss.Term t) {
        o.put("loss_type", t.kind().key());
        o.put("weight", t.weight());
    }
}
