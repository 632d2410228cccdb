package io.dic4j.enhance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dic4j.image.Bilinear;
import io.dic4j.image.PilResize;
import io.dic4j.image.SimilarityWarp;
import io.dic4j.infer.DicPredictor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Super-resolves the faces in a photo: the photo is upscaled S× with Pillow's bicubic filter, and each face found
 * by {@link FaceDetector} is aligned to DIC's training framing ({@link FaceTemplate}), cut out at 16×16 (the photo's
 * own pixels when the face is about that size and upright, see {@link #nativeCut}; else through the similarity,
 * antialiased, as the training LR was made), super-resolved by DIC, warped back into the upscaled photo
 * and blended in by a square mask eroded by {@link #ERODE} and feathered over {@link #FEATHER} of DIC's 128 pixels.
 * Pixels outside every mask are the bicubic photo's, unchanged.
 *
 * <pre>{@code
 * try (FaceEnhancer enhancer = FaceEnhancer.builtIn()) {
 *     FaceEnhancer.Result r = enhancer.enhance(photo, FaceEnhancer.Options.DEFAULT);
 *     ImageIO.write(r.image(), "png", file);   // photo.getWidth() * 8 wide
 * }
 * }</pre>
 *
 * Coordinates in results are continuous input pixels: pixel i spans [i, i + 1), its centre is i + 0.5.
 *
 * <p>Thread-safe: the detector and DIC may run concurrently and a call keeps its state to itself. Close it to free
 * both networks.
 */
public final class FaceEnhancer implements AutoCloseable {

    /** The mask's margin inside the aligned square, in DIC's 128 pixels: the square's edge is bicubic. */
    public static final double ERODE = 8;
    /** The width of the mask's ramp from the photo to DIC, in DIC's 128 pixels. */
    public static final double FEATHER = 16;
    /** Up to this rotation (degrees) and relative size difference, a face near 16 px is cut from native pixels. */
    static final double NATIVE_MAX_ROTATION = 10;
    static final double NATIVE_MAX_SCALE = 0.15;
    /** How the coordinates of results are meant, for JSON that carries them. */
    public static final String COORDINATES = "input pixels, continuous: pixel i spans [i, i+1), its centre is i + 0.5";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Faces per DIC forward pass. */
    private static final int BATCH = 8;

    private final FaceDetector detector;
    private final DicPredictor dic;

    /** Takes ownership of both: {@link #close()} closes them. */
    public FaceEnhancer(FaceDetector detector, DicPredictor dic) {
        this.detector = detector;
        this.dic = dic;
    }

    /** BlazeFace and the built-in DIC model, both from dic4j's jar. */
    public static FaceEnhancer builtIn() throws IOException {
        FaceDetector detector = FaceDetector.builtIn();
        try {
            return new FaceEnhancer(detector, DicPredictor.builtIn());
        } catch (IOException | RuntimeException e) {
            detector.close();
            throw e;
        }
    }

    /**
     * What to enhance.
     *
     * @param upscale the output's size over the input's
     * @param minScore the detector's minimum score
     * @param maxFaces at most this many faces, the best-scoring, are enhanced
     * @param onlyCentreFace enhance only the face nearest the photo's centre
     * @param minFaceSide faces whose aligned square is narrower than this many input pixels are left bicubic: their
     *     16×16 crop is an upsampled one, on which DIC gained nothing in docs/enhance.md
     * @param maxFaceSide faces whose aligned square is wider than this many input pixels are left bicubic: DIC
     *     sees every face at 16×16, so a larger face loses detail its bicubic upscale keeps
     */
    public record Options(int upscale, double minScore, int maxFaces, boolean onlyCentreFace, double minFaceSide,
            double maxFaceSide) {

        public static final Options DEFAULT = new Options(8, FaceDetector.DEFAULT_MIN_SCORE, Integer.MAX_VALUE,
                false, 13, 17);

        public Options {
            if (upscale < 1) {
                throw new IllegalArgumentException("the upscale factor must be at least 1, got " + upscale);
            }
            if (!(minScore >= 0 && minScore <= 1)) {
                throw new IllegalArgumentException("the minimum score must lie in [0, 1], got " + minScore);
            }
            if (maxFaces < 0) {
                throw new IllegalArgumentException("the maximum number of faces must be at least 0, got "
                        + maxFaces);
            }
            if (!(minFaceSide >= 0 && maxFaceSide >= minFaceSide)) {
                throw new IllegalArgumentException("the face sides to enhance must be a range of non-negative"
                        + " sizes, got " + minFaceSide + " to " + maxFaceSide);
            }
        }
    }

    /**
     * A face the detector found.
     *
     * @param detection the detector's box, score and six keypoints
     * @param warp the aligned square (DIC's 128×128 framing) in the input photo
     * @param enhanced whether its DIC result was blended into the output
     * @param reason why it was left bicubic, or null when enhanced
     * @param lr the 16×16 crop DIC saw; null when the face was not passed to DIC
     * @param sr DIC's 128×128 result; null when the face was not passed to DIC
     * @param landmarks DIC's 68 landmarks of its last step, in input pixels; null when not passed to DIC
     */
    public record Face(Detection detection, SimilarityWarp warp, boolean enhanced, String reason, BufferedImage lr,
            BufferedImage sr, double[][] landmarks) {

        /** The axis-aligned bounds [x0, y0, x1, y1] of the square the face was super-resolved from. */
        public double[] box() {
            return warp.bounds();
        }
    }

    /** The enhanced photo and every face found, best score first. */
    public record Result(BufferedImage image, List<Face> faces) {

        /**
         * The faces as dic4j writes them ({@code enhance}'s JSON, {@code serve}): box, score, keypoints, landmarks
         * (null when not passed to DIC), enhanced, reason; in input pixels rounded to 0.01, which is finer than any
         * of them is known.
         */
        public ArrayNode facesJson() {
            ArrayNode list = JsonNodeFactory.instance.arrayNode();
            for (Face face : faces) {
                ObjectNode f = list.addObject();
                rounded(f.putArray("box"), face.box());
                f.put("score", face.detection().score());
                points(f.putArray("keypoints"), face.detection().keypoints());
                if (face.landmarks() == null) {
                    f.putNull("landmarks");
                } else {
                    points(f.putArray("landmarks"), face.landmarks());
                }
                f.put("enhanced", face.enhanced());
                f.put("reason", face.reason());
            }
            return list;
        }

        /**
         * The file {@code dic4j enhance} writes beside the photo ({@code OUT_DIR/<name>.json}), and the Spark job's
         * photos mode too, pretty-printed: {@code input} (as the caller names the photo), {@code upscale},
         * {@code coordinates} ({@link #COORDINATES}) and {@code faces} ({@link #facesJson()}).
         */
        public byte[] jsonFile(String input, int upscale) throws IOException {
            ObjectNode doc = JSON.createObjectNode();
            doc.put("input", input);
            doc.put("upscale", upscale);
            doc.put("coordinates", COORDINATES);
            doc.set("faces", facesJson());
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
        }

        private static void points(ArrayNode to, double[][] points) {
            for (double[] p : points) {
                rounded(to.addArray(), p);
            }
        }

        private static void rounded(ArrayNode to, double[] values) {
            for (double v : values) {
                to.add(Math.round(v * 100) / 100.0);
            }
        }
    }

    /** Enhances the faces of an RGB photo. */
    public Result enhance(BufferedImage photo, Options options) {
        int s = options.upscale();
        BufferedImage out = PilResize.resize(photo, photo.getWidth() * s, photo.getHeight() * s);
        List<Detection> found = detector.detect(photo, options.minScore());
        List<String> reasons = selection(found, photo, options);
        List<SimilarityWarp> warps = found.stream().map(d -> nativeCut(FaceTemplate.align(d))).toList();
        List<Integer> chosen = new ArrayList<>();
        List<BufferedImage> lrs = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            if (reasons.get(i) == null) {
                chosen.add(i);
                lrs.add(warps.get(i).withSize(DicPredictor.INPUT_SIZE).cut(photo));
            }
        }
        List<DicPredictor.Result> results = new ArrayList<>();
        for (int from = 0; from < lrs.size(); from += BATCH) {
            results.addAll(dic.predict(lrs.subList(from, Math.min(from + BATCH, lrs.size()))));
        }
        List<Face> faces = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            SimilarityWarp warp = warps.get(i);
            int c = chosen.indexOf(i);
            if (c < 0) {
                faces.add(new Face(found.get(i), warp, false, reasons.get(i), null, null, null));
                continue;
            }
            DicPredictor.Result r = results.get(c);
            String sizeReason = sizeReason(warp.side(), options);
            if (sizeReason == null) {
                paste(out, s, warp, r.sr());
            }
            faces.add(new Face(found.get(i), warp, sizeReason == null, sizeReason, lrs.get(c), r.sr(),
                    toInput(warp, r.landmarks())));
        }
        return new Result(out, faces);
    }

    /**
     * The aligned square itself, or, for a face already about DIC's size and upright, the 16×16 block of the photo's
     * own pixels nearest it: any resample at a sub-pixel offset blurs the LR (about 0.9 dB, issue 17) by more than
     * the misframing of a few degrees or a tenth of its size costs DIC.
     */
    static SimilarityWarp nativeCut(SimilarityWarp aligned) {
        int n = DicPredictor.INPUT_SIZE;
        double ratio = aligned.side() / n;
        if (Math.abs(aligned.rotation()) > NATIVE_MAX_ROTATION || Math.abs(ratio - 1) > NATIVE_MAX_SCALE) {
            return aligned;
        }
        // an upright square of 16 px on whole pixels: its cut is a plain crop
        double x0 = Math.round(aligned.centreX() - n / 2.0);
        double y0 = Math.round(aligned.centreY() - n / 2.0);
        return new SimilarityWarp(x0 + n / 2.0, y0 + n / 2.0, n, 0, aligned.size());
    }

    /** Why a face whose aligned square is {@code side} px is left bicubic, or null. */
    private static String sizeReason(double side, Options options) {
        if (side >= options.minFaceSide() && side <= options.maxFaceSide()) {
            return null;
        }
        return String.format(Locale.ROOT, "its aligned square is %.1f px, outside the %.0f-%.0f px where DIC beats"
                + " bicubic", side, options.minFaceSide(), options.maxFaceSide());
    }

    /** For each face (best first), why it is not passed to DIC, or null. */
    private static List<String> selection(List<Detection> faces, BufferedImage photo, Options options) {
        List<String> reasons = new ArrayList<>();
        Detection centre = options.onlyCentreFace() ? faces.stream().min(Comparator.comparingDouble(
                d -> Math.hypot(d.centreX() - photo.getWidth() / 2.0, d.centreY() - photo.getHeight() / 2.0)))
                .orElse(null) : null;
        for (Detection d : faces) {
            if (centre != null && d != centre) {
                reasons.add("not the face nearest the centre (only the centre face was asked for)");
            } else if (reasons.stream().filter(r -> r == null).count() >= options.maxFaces()) {
                reasons.add("beyond the " + options.maxFaces() + " best-scoring faces asked for");
            } else {
                reasons.add(null);
            }
        }
        return reasons;
    }

    /** DIC's landmarks (128 px frame, pixel centres at integers) in continuous input pixels. */
    private static double[][] toInput(SimilarityWarp warp, float[][] landmarks) {
        double[][] out = new double[landmarks.length][];
        for (int i = 0; i < landmarks.length; i++) {
            out[i] = warp.toSource(landmarks[i][0] + 0.5, landmarks[i][1] + 0.5);
        }
        return out;
    }

    /** Blends the 128×128 {@code sr} into {@code out} (the photo at {@code s}×) through the face's warp. */
    static void paste(BufferedImage out, int s, SimilarityWarp warp, BufferedImage sr) {
        int n = sr.getWidth();
        int[] srPixels = sr.getRGB(0, 0, n, n, null, 0, n);
        SimilarityWarp at = warp.withSize(n);
        double[] bounds = at.bounds();
        int x0 = Math.max((int) Math.floor(bounds[0] * s), 0);
        int y0 = Math.max((int) Math.floor(bounds[1] * s), 0);
        int x1 = Math.min((int) Math.ceil(bounds[2] * s), out.getWidth());
        int y1 = Math.min((int) Math.ceil(bounds[3] * s), out.getHeight());
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                double[] p = at.toPatch((x + 0.5) / s, (y + 0.5) / s);
                double m = mask(p[0], p[1], n);
                if (m > 0) {
                    out.setRGB(x, y, blend(out.getRGB(x, y), bilinear(srPixels, n, p[0] - 0.5, p[1] - 0.5), m));
                }
            }
        }
    }

    /** The blend weight at patch point (u, v): 0 within {@link #ERODE} of the edge, rising smoothly to 1. */
    static double mask(double u, double v, int n) {
        double edge = Math.min(Math.min(u, n - u), Math.min(v, n - v));
        double t = Math.min(Math.max((edge - ERODE) / FEATHER, 0), 1);
        return t * t * (3 - 2 * t);
    }

    private static int blend(int background, double[] face, double m) {
        int out = 0;
        for (int c = 0; c < 3; c++) {
            int shift = 16 - 8 * c;
            double b = (background >> shift) & 0xff;
            out |= (int) Math.round(m * face[c] + (1 - m) * b) << shift;
        }
        return out;
    }

    /** Bilinear RGB of an {@code n × n} image at (x, y), pixel centres at integers, clamped to the edge. */
    private static double[] bilinear(int[] pixels, int n, double x, double y) {
        return Bilinear.rgb(pixels, n, n, Math.min(Math.max(x, 0), n - 1), Math.min(Math.max(y, 0), n - 1));
    }

    @Override
    public void close() {
        try (detector) {
            dic.close();
        }
    }
}
