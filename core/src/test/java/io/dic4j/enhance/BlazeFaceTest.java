package io.dic4j.enhance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.dic4j.image.Images;
import io.dic4j.image.PilResize;
import io.dic4j.weights.StateDict;
import io.dic4j.weights.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * dic4j's BlazeFace against the published ONNX run by ONNX Runtime (a test dependency only), on one batch of
 * windows: a photo with a face, noise and flat grey.
 */
class BlazeFaceTest {

    private static final String ONNX = "/io/dic4j/enhance/face_detection_front_128x128.onnx";
    private static final int PIXELS = BlazeFace.INPUT * BlazeFace.INPUT * 3;

    @Test
    void matchesOnnxRuntimeOnTheSameWindows() throws Exception {
        float[][] windows = {faceWindow(), noise(new Random(1)), grey()};
        float[] batch = new float[windows.length * PIXELS];
        for (int n = 0; n < windows.length; n++) {
            System.arraycopy(windows[n], 0, batch, n * PIXELS, PIXELS);
        }
        BlazeFace.Output ours;
        try (BlazeFace net = new BlazeFace(StateDict.readResource("/io/dic4j/models/blazeface/"
                + "blazeface_front.safetensors", "BlazeFace"))) {
            ours = net.run(batch, windows.length);
        }
        byte[] model;
        try (InputStream in = BlazeFaceTest.class.getResourceAsStream(ONNX)) {
            model = in.readAllBytes();
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        double worstScore = 0;
        double worstBox = 0;
        try (OrtSession session = env.createSession(model, new OrtSession.SessionOptions())) {
            for (int n = 0; n < windows.length; n++) {
                try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(windows[n]),
                        new long[] {1, BlazeFace.INPUT, BlazeFace.INPUT, 3});
                        OrtSession.Result r = session.run(Map.of(session.getInputNames().iterator().next(), t))) {
                    // ONNX outputs: scores of the 16×16 grid, of the 8×8 grid, then their boxes
                    worstScore = Math.max(worstScore, worst(r, 0, ours.scores16(), n));
                    worstScore = Math.max(worstScore, worst(r, 1, ours.scores8(), n));
                    worstBox = Math.max(worstBox, worst(r, 2, ours.boxes16(), n));
                    worstBox = Math.max(worstBox, worst(r, 3, ours.boxes8(), n));
                }
            }
        }
        System.out.printf("BlazeFace against ONNX Runtime: score logits within %.2e, box values within %.2e%n",
                worstScore, worstBox);
        // float32 summed in other orders (measured: 1e-4 on logits of ~10 and box values of ~100 px)
        assertTrue(worstScore < 1e-3, "score logits differ by " + worstScore);
        assertTrue(worstBox < 1e-3, "box values differ by " + worstBox + " px");
    }

    @Test
    void weightsOfTheWrongShapeOrExtraTensorsAreRefusedNamingThem() throws IOException {
        StateDict good = StateDict.readResource("/io/dic4j/models/blazeface/blazeface_front.safetensors", "w");
        Map<String, Tensor> wrong = new LinkedHashMap<>(good.tensors());
        wrong.put("blocks.3.pointwise.bias", new Tensor(new long[] {2}, new float[2]));
        IOException e = assertThrows(IOException.class, () -> new BlazeFace(new StateDict(wrong, Map.of(), "f")));
        assertEquals("f: blocks.3.pointwise.bias is 2, BlazeFace needs 36", e.getMessage());

        Map<String, Tensor> extra = new LinkedHashMap<>(good.tensors());
        extra.put("head4.scores.weight", new Tensor(new long[] {1}, new float[1]));
        e = assertThrows(IOException.class, () -> new BlazeFace(new StateDict(extra, Map.of(), "f")));
        assertEquals("f: tensors BlazeFace does not have: [head4.scores.weight]", e.getMessage());
    }

    /** The largest difference between ONNX output {@code index} and ours for image {@code n} of the batch. */
    private static double worst(OrtSession.Result r, int index, float[] ours, int n) throws Exception {
        float[] theirs = ((OnnxTensor) r.get(index)).getFloatBuffer().array();
        float[] mine = Arrays.copyOfRange(ours, n * theirs.length, (n + 1) * theirs.length);
        double worst = 0;
        for (int i = 0; i < theirs.length; i++) {
            worst = Math.max(worst, Math.abs(theirs[i] - mine[i]));
        }
        return worst;
    }

    /** The astronaut thumbnail (a face of 16 px) resized to the input, in [-1, 1] as the detector feeds it. */
    private static float[] faceWindow() throws IOException {
        BufferedImage photo = PilResize.resize(Images.readRgb(Path.of("examples/astronaut_photo.png")),
                BlazeFace.INPUT, BlazeFace.INPUT);
        int[] rgb = photo.getRGB(0, 0, BlazeFace.INPUT, BlazeFace.INPUT, null, 0, BlazeFace.INPUT);
        float[] x = new float[PIXELS];
        for (int i = 0; i < rgb.length; i++) {
            for (int ch = 0; ch < 3; ch++) {
                x[3 * i + ch] = ((rgb[i] >> (16 - 8 * ch)) & 0xff) / 127.5f - 1;
            }
        }
        return x;
    }

    private static float[] noise(Random r) {
        float[] x = new float[PIXELS];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat() * 2 - 1;
        }
        return x;
    }

    private static float[] grey() {
        return new float[PIXELS];
    }
}
