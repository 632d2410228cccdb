import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.dic4j.infer.DicInferenceBlock;
import io.dic4j.infer.Precision;
import io.dic4j.model.ops.BFloat16;
import io.dic4j.weights.DicWeights;
import io.dic4j.weights.StateDict;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The authors' DIC in ONNX Runtime beside dic4j, in one process, for docs/performance.md (issue 23); dic4j does not
 * depend on ONNX Runtime. Takes the folder that tools/export-reference-onnx.py wrote. First checks that each engine's
 * output equals PyTorch's on the exported batch of 8, then times batch 1 and batch 8, the engines taking turns.
 *
 * <pre>
 * ORT=~/.m2/repository/com/microsoft/onnxruntime/onnxruntime/1.21.1/onnxruntime-1.21.1.jar
 * source tools/preload-tcmalloc.sh
 * java -Dai.djl.pytorch.num_threads=2 -Dai.djl.pytorch.num_interop_threads=1 \
 *     -cp "cli/target/classes:cli/target/lib/*:$ORT" tools/OnnxRuntimeBench.java OUT_DIR [REPEATS]
 * </pre>
 */
public class OnnxRuntimeBench {

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Engine.getInstance();
        int threads = JniUtils.getNumThreads();
        StateDict reference = StateDict.read(dir.resolve("reference.npz"));
        float[] lr = reference.tensors().get("lr").values();
        float[] expected = reference.tensors().get("sr_4").values();
        System.out.printf(Locale.ROOT, "threads: dic4j %d, ONNX Runtime %d (all graph optimisations)%n", threads, threads);
        try (OrtEnvironment env = OrtEnvironment.getEnvironment();
                OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                NDManager m = NDManager.newBaseManager()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession ort = env.createSession(dir.resolve("dic_paper.onnx").toString(), options)) {
                StateDict weights = StateDict.read(dir.resolve("dic_paper.pth"));
                Map<String, DicInferenceBlock> dic4j = new LinkedHashMap<>();
                for (Precision p : Precision.values()) {
                    dic4j.put("dic4j " + p.id(), new DicInferenceBlock(DicWeights.load(weights, null, m), m, p));
                }
                Map<String, java.util.function.IntFunction<float[]>> engines = new LinkedHashMap<>();
                engines.put("ONNX Runtime", n -> ortLastSr(env, ort, lr, n));
                dic4j.forEach((name, block) -> engines.put(name, n -> dic4jLastSr(block, m, lr, n)));

                System.out.println("\nlast step's SR of the exported batch of 8 against PyTorch's (values in [0, 1]):");
                for (var e : engines.entrySet()) {
                    float[] got = e.getValue().apply(8);
                    double max = 0;
                    double sum = 0;
                    for (int i = 0; i < got.length; i++) {
                        double d = Math.abs(got[i] - expected[i]);
                        max = Math.max(max, d);
                        sum += d;
                    }
                    System.out.printf(Locale.ROOT, "  %s: max abs diff %.2e, mean %.2e%n", e.getKey(), max,
                            sum / got.length);
                }

                System.out.println("\n| engine | batch | median s | min s | max s | per face s | ONNX Runtime / engine, per face |");
                System.out.println("|---|---|---|---|---|---|---|");
                for (int n : new int[] {1, 8}) {
                    Map<String, double[]> seconds = new LinkedHashMap<>();
                    engines.forEach((name, run) -> {
                        run.apply(n); // warm-up at this batch size
                        seconds.put(name, new double[repeats]);
                    });
                    for (int r = 0; r < repeats; r++) {
                        for (var e : engines.entrySet()) {
                            long t0 = System.nanoTime();
                            e.getValue().apply(n);
                            seconds.get(e.getKey())[r] = (System.nanoTime() - t0) / 1e9;
                        }
                    }
                    double ortMedian = median(seconds.get("ONNX Runtime"));
                    for (var e : seconds.entrySet()) {
                        double[] s = e.getValue();
                        System.out.printf(Locale.ROOT, "| %s | %d | %.3f | %.3f | %.3f | %.3f | %.2f× |%n", e.getKey(),
                                n, median(s), Arrays.stream(s).min().orElseThrow(),
                                Arrays.stream(s).max().orElseThrow(), median(s) / n, ortMedian / median(s));
                    }
                }
            }
        }
    }

    /** ONNX Runtime's last SR step for the first {@code n} faces of {@code lr}. */
    private static float[] ortLastSr(OrtEnvironment env, OrtSession ort, float[] lr, int n) {
        try (OnnxTensor x = OnnxTensor.createTensor(env, FloatBuffer.wrap(lr, 0, n * 3 * 16 * 16),
                new long[] {n, 3, 16, 16}); OrtSession.Result out = ort.run(Map.of("lr", x))) {
            FloatBuffer sr = ((OnnxTensor) out.get("sr_4").orElseThrow()).getFloatBuffer();
            float[] values = new float[sr.remaining()];
            sr.get(values);
            return values;
        } catch (ai.onnxruntime.OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    /** dic4j's last SR step, from its inference block (what DicPredictor runs, without making images). */
    private static float[] dic4jLastSr(DicInferenceBlock block, NDManager parent, float[] lr, int n) {
        try (NDManager m = parent.newSubManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray x = m.create(Arrays.copyOf(lr, n * 3 * 16 * 16), new Shape(n, 3, 16, 16));
            NDList out = block.forward(new ParameterStore(m, false), new NDList(x), false);
            return BFloat16.toFloat32(out.get(3)).toFloatArray();
        }
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
