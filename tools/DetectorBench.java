import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.dic4j.enhance.FaceDetector;
import java.awt.image.BufferedImage;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Times the face detector: {@code FaceDetector.detect} (BlazeFace on DJL, windows in batches) on noise photos of a
 * few sizes, and the published ONNX on ONNX Runtime (one thread, as dic4j used it before the port) over the same
 * number of 128×128 windows. Run from the repository root after {@code ./mvnw -o -B test-compile -pl core}:
 *
 * <pre>
 * ./mvnw -o -B -q dependency:build-classpath -pl core -Dmdep.includeScope=test -Dmdep.outputFile=cp.txt
 * java -Dai.djl.pytorch.num_threads=1 -cp core/target/classes:core/target/test-classes:$(cat cp.txt) \
 *     tools/DetectorBench.java
 * </pre>
 */
public class DetectorBench {

    private static final int[][] SIZES = {{128, 96}, {160, 120}, {320, 240}, {640, 480}};
    private static final int REPEATS = 3;

    public static void main(String[] args) throws Exception {
        Random random = new Random(0);
        byte[] onnx = Files.readAllBytes(Path.of("core/src/test/resources/io/dic4j/enhance/"
                + "face_detection_front_128x128.onnx"));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        try (FaceDetector detector = FaceDetector.builtIn(); OrtSession session = env.createSession(onnx, options)) {
            detector.detect(noise(random, 128, 128), 0.5); // warm-up
            System.out.println("| photo | windows | detect() on DJL, s (min–max) | ONNX Runtime, same windows, s |");
            System.out.println("|---|---|---|---|");
            for (int[] size : SIZES) {
                BufferedImage photo = noise(random, size[0], size[1]);
                int windows = FaceDetector.windows(size[0], size[1]);
                double[] djl = new double[REPEATS];
                double[] ort = new double[REPEATS];
                for (int r = 0; r < REPEATS; r++) {
                    long t0 = System.nanoTime();
                    detector.detect(photo, 0.5);
                    djl[r] = (System.nanoTime() - t0) / 1e9;
                    t0 = System.nanoTime();
                    float[] x = new float[128 * 128 * 3];
                    for (int w = 0; w < windows; w++) {
                        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, 128, 128,
                                3}); OrtSession.Result out = session.run(Map.of(session.getInputNames().iterator()
                                        .next(), t))) {
                            out.get(0);
                        }
                    }
                    ort[r] = (System.nanoTime() - t0) / 1e9;
                }
                System.out.printf(Locale.ROOT, "| %d×%d | %d | %.3f (%.3f–%.3f) | %.3f (%.3f–%.3f) |%n", size[0],
                        size[1], windows, median(djl), min(djl), max(djl), median(ort), min(ort), max(ort));
            }
        }
    }

    static BufferedImage noise(Random r, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        return img;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    static double min(double[] v) {
        return Arrays.stream(v).min().orElseThrow();
    }

    static double max(double[] v) {
        return Arrays.stream(v).max().orElseThrow();
    }
}
