package io.dic4j.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.dic4j.model.DicConfig;
import io.dic4j.model.ops.Constants;
import io.dic4j.weights.StateDict;
import io.dic4j.weights.Tensor;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The reference fixtures copied into test resources (see src/test/resources/reference/README.md). */
public final class Fixtures {

    /** The small DIC the reference fixtures were made with (dic_small_config.json). */
    public static final DicConfig SMALL = new DicConfig(16, 4, 2, 32, 68, 2, false, 3, 3, 8);

    private static final Map<String, StateDict> CACHE = new ConcurrentHashMap<>();

    private Fixtures() {}

    public static Path path(String name) {
        try {
            return Path.of(Fixtures.class.getResource("/reference/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource reference/" + name + " is missing", e);
        }
    }

    /** All arrays of an npz fixture, read once. */
    public static StateDict npz(String name) {
        return CACHE.computeIfAbsent(name, n -> {
            try {
                return StateDict.read(path(n));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    public static NDArray array(NDManager m, String npz, String key) {
        Tensor t = npz(npz).tensors().get(key);
        if (t == null) {
            throw new IllegalArgumentException(npz + " has no " + key);
        }
        // a copy owned by libtorch, as the training code makes its batches (see Constants)
        return Constants.of(m, t.values(), new Shape(t.shape()));
    }

    /** An (H, W, 3) uint8 array of an npz fixture as an RGB image. */
    public static BufferedImage rgbImage(String npz, String key) {
        Tensor t = npz(npz).tensors().get(key);
        int h = (int) t.shape()[0];
        int w = (int) t.shape()[1];
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        float[] v = t.values();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int i = (y * w + x) * 3;
                img.setRGB(x, y, ((int) v[i] << 16) | ((int) v[i + 1] << 8) | (int) v[i + 2]);
            }
        }
        return img;
    }

    /** Max |a − b| over all elements; the shapes must be equal. */
    public static double maxAbsDiff(NDArray actual, NDArray expected) {
        assertArrayEquals(expected.getShape().getShape(), actual.getShape().getShape(), "shape");
        float[] a = actual.toFloatArray();
        float[] e = expected.toFloatArray();
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - e[i]));
        }
        return max;
    }

    /** Max |a − b| relative to max |b|: for values far from 1, where float32 rounding scales with size. */
    public static void assertRelClose(NDArray actual, NDArray expected, double tolerance, String what) {
        double scale = expected.abs().max().getFloat();
        double d = maxAbsDiff(actual, expected) / scale;
        assertTrue(d <= tolerance, what + ": max abs diff / max abs " + d + " > " + tolerance);
    }

    public static void assertClose(NDArray actual, NDArray expected, double tolerance, String what) {
        double d = maxAbsDiff(actual, expected);
        assertTrue(d <= tolerance, what + ": max abs diff " + d + " > " + tolerance);
    }
}
