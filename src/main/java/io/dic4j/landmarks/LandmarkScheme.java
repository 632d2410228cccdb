package io.dic4j.landmarks;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * A landmark annotation scheme and how its points group into DIC's five facial components (the channels of
 * the attention maps): 0 left eye, 1 right eye, 2 nose, 3 mouth, 4 jaw and brows. Indices are 0-based.
 */
public enum LandmarkScheme {
    /** The 68-point iBUG / 300-W scheme. */
    IBUG_68(68, new int[][] {
        range(36, 41), range(42, 47), range(27, 35), range(48, 67), range(0, 26)
    }),
    /** Helen's 194-point scheme; the groups skip some points, as the reference does. */
    HELEN_194(194, new int[][] {
        concat(range(134, 152), range(174, 192)),
        concat(range(114, 132), range(154, 172)),
        range(41, 56),
        range(58, 112),
        range(0, 39)
    });

    /** Number of facial components (attention maps) DIC uses. */
    public static final int COMPONENTS = 5;

    private final int points;
    private final int[][] components;

    LandmarkScheme(int points, int[][] components) {
        this.points = points;
        this.components = components;
    }

    public int points() {
        return points;
    }

    /** The point indices of component {@code c}. */
    public int[] component(int c) {
        return components[c].clone();
    }

    /** The scheme with {@code points} landmarks. */
    public static LandmarkScheme forPoints(int points) {
        return Arrays.stream(values())
                .filter(s -> s.points == points)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no landmark scheme has " + points
                        + " points; DIC's attention needs one of " + Arrays.toString(
                                Arrays.stream(values()).mapToInt(LandmarkScheme::points).toArray())));
    }

    /** Row-major (COMPONENTS × points) 0/1 matrix: row c sums the heatmaps of component c. */
    public float[] componentMatrix() {
        float[] m = new float[COMPONENTS * points];
        for (int c = 0; c < COMPONENTS; c++) {
            for (int p : components[c]) {
                m[c * points + p] = 1f;
            }
        }
        return m;
    }

    private static int[] range(int first, int last) {
        return IntStream.rangeClosed(first, last).toArray();
    }

    private static int[] concat(int[] a, int[] b) {
        return IntStream.concat(Arrays.stream(a), Arrays.stream(b)).toArray();
    }
}
