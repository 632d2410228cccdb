package io.dic4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dic4j.data.FaceDataset;
import io.dic4j.data.FaceLoader;
import io.dic4j.data.SampleMaker;
import io.dic4j.util.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One training run from its options, start to end: datasets, loaders, the task, the trainer. What
 * {@code dic4j train} and {@code dic4j train-landmarks} run.
 */
public final class TrainingRun {

    /** The run's options as dic4j writes them (the authors' format, every key explicit). */
    public static final String OPTIONS = "options.json";

    /** What is trained. */
    public enum Kind {
        /** The whole DIC, or DICGAN when the options' mode is {@code sr_align_gan}. */
        DIC,
        /** The feedback hourglass alone, on HR faces. */
        LANDMARKS,
        /** The evaluation's stacked hourglass, on HR faces. */
        STACKED_LANDMARKS
    }

    private static final int PREFETCH = 2;
    private static final int VAL_BATCH = 8;

    private TrainingRun() {}

    /**
     * Trains. A new run refuses an output folder that already holds one; {@code resume} (or
     * {@code pretrain: "resume"} with {@code pretrained_path}) continues a checkpoint.
     *
     * @param resume a dic4j checkpoint to continue, or null
     * @param listener told of each step and validation
     */
    public static Trainer.Summary run(TrainOptions options, Kind kind, Path out, Path resume,
            TrainingListener listener)
            throws IOException {
        Path from = resume != null ? resume
                : options.solver().pretrain() == TrainOptions.Pretrain.RESUME ? options.solver().pretrainedPath() : null;
        if (from == null && Files.exists(out.resolve(Trainer.LOG))) {
            throw new IllegalArgumentException(out + " already holds a run; continue it with --resume "
                    + out.resolve(Trainer.CHECKPOINTS).resolve(Trainer.LAST) + ", or choose another output folder");
        }
        FaceDataset trainSet = open(options.train(), options);
        FaceDataset valSet = options.val() == null ? null : open(options.val(), options);
        Engine.getInstance();
        TrainOptions.Dataset t = options.train();
        FaceLoader.Options loading = new FaceLoader.Options(t.batchSize(), true, true, options.solver().seed(),
                t.workers(), PREFETCH);
        try (NDManager manager = NDManager.newBaseManager();
                FaceLoader train = new FaceLoader(trainSet, new SampleMaker(t.sampling()), loading);
                FaceLoader val = valSet == null ? null : new FaceLoader(valSet,
                        new SampleMaker(options.val().sampling()),
                        FaceLoader.Options.inOrder(VAL_BATCH, options.val().workers()))) {
            Files.createDirectories(out);
            AtomicFiles.write(out.resolve(OPTIONS),
                    o -> new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(o, options.toJson()));
            TrainingTask task = switch (kind) {
                case DIC -> options.gan() != null ? GanTask.create(options, manager) : DicTask.create(options, manager);
                case LANDMARKS -> LandmarkTask.create(options, LandmarkTask.Architecture.FEEDBACK, manager);
                case STACKED_LANDMARKS -> LandmarkTask.create(options, LandmarkTask.Architecture.STACKED, manager);
            };
            Trainer.Settings settings = new Trainer.Settings(options.solver(), options.printFreq(),
                    options.solver().numSaveImage(), listener);
            return new Trainer(task, settings, train, val, out).run(from);
        }
    }

    private static FaceDataset open(TrainOptions.Dataset d, TrainOptions options) throws IOException {
        FaceDataset set = FaceDataset.open(d.annotations(), d.images());
        if (d.imageList() != null) {
            set = set.subset(d.imageList(), true);
        }
        if (d.excludeList() != null) {
            set = set.subset(d.excludeList(), false);
        }
        int want = options.networks().hgNumKeypoints();
        if (set.landmarkCount() != want) {
            throw new IllegalArgumentException("dataset " + d.name() + " (" + (d.annotations() == null ? d.images()
                    : d.annotations()) + ") has " + set.landmarkCount() + " landmarks per face; training needs "
                    + want + " (networks.hg_num_keypoints)");
        }
        return set;
    }
}
