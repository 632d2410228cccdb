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

    /**
     * The 68-point horizontal mirror: point i of a flipped face is point MIRROR_68[i] of the original. Unlike the
     * reference's flip, eyes swap sides (36..41 ↔ 45..42, 47..46) instead of mapping onto themselves.
     */
    private static final int[] MIRROR_68 = mirror68();

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

    /**
     * For each point of a horizontally flipped face, the index of the original point it comes from.
     *
     * @throws UnsupportedOperationException for schemes without a defined mirror (Helen's 194 points)
     */
    public int[] mirror() {
        if (this != IBUG_68) {
            throw new UnsupportedOperationException("no left-right mirror is defined for the " + points
                    + "-point scheme; flipping needs 68 points");
        }
        return MIRROR_68.clone();
    }

    private static int[] mirror68() {
        int[] m = new int[68];
        reverse(m, 0, 16);   // jaw
        reverse(m, 17, 26);  // brows swap
        for (int i = 27; i <= 30; i++) {
            m[i] = i;        // nose bridge stays
        }
        reverse(m, 31, 35);  // nostrils
        // eyes swap: outer corner ↔ outer corner (36 ↔ 45), upper lid ↔ upper lid, lower ↔ lower
        int[] leftEye = {36, 37, 38, 39, 40, 41};
        int[] rightEye = {45, 44, 43, 42, 47, 46};
        for (int i = 0; i < 6; i++) {
            m[leftEye[i]] = rightEye[i];
            m[rightEye[i]] = leftEye[i];
        }
        reverseRing(m, 48, 59, 54); // outer lip: corners 48 ↔ 54
        reverseRing(m, 60, 67, 64); // inner lip: corners 60 ↔ 64
        return m;
    }

    private static void reverse(int[] m, int first, int last) {
        for (int i = first; i <= last; i++) {
            m[i] = first + last - i;
        }
    }

    /** A closed contour first..last whose mirror axis passes through first and {@code opposite}. */
    private static void reverseRing(int[] m, int first, int last, int opposite) {
        int n = last - first + 1;
        int shift = opposite - first;
        for (int i = 0; i < n; i++) {
            m[first + i] = first + Math.floorMod(shift - i, n);
        }
    }

    private static int[] range(int first, int last) {
        return IntStream.rangeClosed(first, last).toArray();
    }

    private static int[] concat(int[] a, int[] b) {
        return IntStream.concat(Arrays.stream(a), Arrays.stream(b)).toArray();
    }
}
