package io.dic4j.spark;

import ai.djl.pytorch.jni.JniUtils;
import io.dic4j.enhance.FaceDetector;
import io.dic4j.enhance.FaceEnhancer;
import io.dic4j.infer.DicPredictor;
import io.dic4j.infer.Nnpack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.SparkFiles;

/**
 * The models of this executor JVM: each loaded once, on the first task that needs it, and shared by every task the
 * executor runs at the same time ({@link DicPredictor#predict} and {@link FaceEnhancer#enhance} are thread-safe). The
 * partition function looks the model up here rather than holding it: a closure that captured a model would ship its
 * weights with every task, and libtorch's arrays do not serialize. Models live as long as the executor.
 */
final class ExecutorModels {

    private static final String NUM_THREADS = "ai.djl.pytorch.num_threads";
    private static final String NUM_INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";

    /** By {@link JobOptions#model()}. */
    private static final Map<ModelChoice, DicPredictor> MODELS = new HashMap<>();
    /** Photos mode's face detector and DIC, by {@link JobOptions#model()}. */
    private static final Map<ModelChoice, FaceEnhancer> ENHANCERS = new HashMap<>();
    /** Whether this task thread has its thread count set. */
    private static final ThreadLocal<Boolean> THREADS_SET = ThreadLocal.withInitial(() -> false);

    private ExecutorModels() {}

    /**
     * The model, loaded on first use, for the calling task's thread. Each task runs libtorch on {@code taskCpus}
     * threads, unless the executor's JVM options say otherwise
     * ({@code -Dai.djl.pytorch.num_threads}): an executor runs {@code spark.executor.cores / spark.task.cpus} tasks
     * at once, each a forward pass of its own, and libtorch's default of one thread per core would give every core
     * several threads.
     */
    static DicPredictor predictor(ModelChoice model, int taskCpus) throws IOException {
        DicPredictor predictor = load(model, taskCpus);
        setThreads();
        return predictor;
    }

    /**
     * BlazeFace and DIC for photos ({@code model} as in {@link #predictor}), loaded on first use, for the calling
     * task's thread: DIC on the task's threads as above, the detector on one (its ONNX Runtime session's own).
     */
    static FaceEnhancer enhancer(ModelChoice model, int taskCpus) throws IOException {
        FaceEnhancer enhancer = loadEnhancer(model, taskCpus);
        setThreads();
        return enhancer;
    }

    private static void setThreads() {
        if (!THREADS_SET.get()) {
            // OpenMP's thread count is the calling thread's own: the engine's start set it for one task thread only
            JniUtils.setNumThreads(Integer.getInteger(NUM_THREADS));
            THREADS_SET.set(true);
        }
    }

    private static synchronized FaceEnhancer loadEnhancer(ModelChoice model, int taskCpus) throws IOException {
        FaceEnhancer enhancer = ENHANCERS.get(model);
        if (enhancer == null) {
            // faces mode's predictor, shared: the enhancer would close it with itself, but neither is ever closed
            enhancer = new FaceEnhancer(FaceDetector.builtIn(), load(model, taskCpus));
            ENHANCERS.put(model, enhancer);
        }
        return enhancer;
    }

    private static synchronized DicPredictor load(ModelChoice model, int taskCpus) throws IOException {
        DicPredictor predictor = MODELS.get(model);
        if (predictor == null) {
            if (MODELS.isEmpty()) {
                startEngine(taskCpus);
            }
            predictor = model.weights() == null ? DicPredictor.builtIn(model.precision())
                    : DicPredictor.load(resolve(model.weights()), null, model.precision());
            MODELS.put(model, predictor);
        }
        return predictor;
    }

    private static void startEngine(int taskCpus) {
        setIfAbsent(NUM_THREADS, String.valueOf(taskCpus));
        // inter-op parallelism only helps graphs with independent branches; DIC's forward pass is one chain
        setIfAbsent(NUM_INTEROP_THREADS, "1");
        // executors run offline: DJL would otherwise ask the EC2 metadata address for its usage tracking
        if (System.getenv("OPT_OUT_TRACKING") == null) {
            setIfAbsent("OPT_OUT_TRACKING", "true");
        }
        Nnpack.offWhereUnsupported();
    }

    private static void setIfAbsent(String property, String value) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, value);
        }
    }

    /** The weights: the path as given where the executor has it, else a file shipped with {@code --files}. */
    private static Path resolve(String model) throws IOException {
        Path path = Path.of(model);
        if (Files.isRegularFile(path)) {
            return path;
        }
        Path shipped = Path.of(SparkFiles.get(path.getFileName().toString()));
        if (Files.isRegularFile(shipped)) {
            return shipped;
        }
        throw new IOException("--model " + model + ": no such file on this executor (nor " + shipped
                + " from spark-submit --files)");
    }
}
