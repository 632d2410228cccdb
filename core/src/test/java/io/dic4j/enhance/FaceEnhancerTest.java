package io.dic4j.enhance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.dic4j.image.PilResize;
import io.dic4j.image.SimilarityWarp;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class FaceEnhancerTest {

    private static FaceEnhancer enhancer;

    @BeforeAll
    static void load() throws Exception {
        enhancer = FaceEnhancer.builtIn();
    }

    @AfterAll
    static void close() {
        enhancer.close();
    }

    @Test
    void aPhotoWithoutFacesIsTheBicubicPhoto() {
        BufferedImage photo = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                photo.setRGB(x, y, (x * 6 << 16) | (y * 8 << 8) | 90);
            }
        }
        FaceEnhancer.Result r = enhancer.enhance(photo, FaceEnhancer.Options.DEFAULT);
        assertEquals(List.of(), r.faces());
        assertSamePixels(PilResize.resize(photo, 320, 240), r.image(), null, 8);
    }

    @Test
    void aSmallFaceIsEnhancedAndOnlyInsideItsMask() throws Exception {
        BufferedImage photo = FaceDetectorTest.photo(64, 48, 16, 23, 13);
        FaceEnhancer.Result r = enhancer.enhance(photo, FaceEnhancer.Options.DEFAULT);
        assertEquals(1, r.faces().size());
        FaceEnhancer.Face face = r.faces().get(0);
        assertTrue(face.enhanced(), face.reason());
        assertNull(face.reason());
        assertEquals(68, face.landmarks().length);
        assertEquals(16, face.lr().getWidth());
        // the aligned square frames the pasted 16 px crop: about its size, about where it is
        assertEquals(16, face.warp().side(), 3);
        assertEquals(23 + 8, face.warp().centreX(), 2);
        assertEquals(13 + 8, face.warp().centreY(), 2);
        BufferedImage bicubic = PilResize.resize(photo, 512, 384);
        int changed = assertSamePixels(bicubic, r.image(), face.warp().withSize(128), 8);
        assertTrue(changed > 1000, changed + " pixels changed");
    }

    @Test
    void aFaceOverTheSizeLimitIsLeftBicubicWithAReason() throws Exception {
        BufferedImage photo = FaceDetectorTest.photo(64, 48, 16, 23, 13);
        FaceEnhancer.Result r = enhancer.enhance(photo, new FaceEnhancer.Options(2, 0.5, 5, false, 0, 10));
        FaceEnhancer.Face face = r.faces().get(0);
        assertTrue(!face.enhanced() && face.reason().contains("outside the 0-10 px"), face.reason());
        assertSamePixels(PilResize.resize(photo, 128, 96), r.image(), null, 2);
    }

    @Test
    void aFaceNearDicsSizeAndUprightIsCutFromNativePixels() throws Exception {
        SimilarityWarp snapped = FaceEnhancer.nativeCut(new SimilarityWarp(20.3, 30.8, 17.1, 4, 128));
        assertEquals(new SimilarityWarp(20, 31, 16, 0, 128), snapped);
        // its 16 px cut is then a plain crop of the photo
        BufferedImage photo = FaceDetectorTest.photo(48, 48, 40, 3, 5);
        BufferedImage lr = snapped.withSize(16).cut(photo);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                assertEquals(photo.getRGB(12 + x, 23 + y), lr.getRGB(x, y));
            }
        }
        SimilarityWarp turned = new SimilarityWarp(20.3, 30.8, 17.1, 14, 128);
        assertEquals(turned, FaceEnhancer.nativeCut(turned));
        SimilarityWarp large = new SimilarityWarp(20.3, 30.8, 20, 0, 128);
        assertEquals(large, FaceEnhancer.nativeCut(large));
    }

    @Test
    void optionsOutOfRangeAreRefusedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FaceEnhancer.Options(0, 0.5, 1, false, 13, 17));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
    }

    /**
     * Asserts that {@code actual} equals {@code expected} wherever the mask of {@code face} (null: none) is 0;
     * returns how many pixels differ inside it. {@code scale}: output pixels per input pixel.
     */
    private static int assertSamePixels(BufferedImage expected, BufferedImage actual, SimilarityWarp face,
            int scale) {
        assertEquals(expected.getWidth(), actual.getWidth());
        assertEquals(expected.getHeight(), actual.getHeight());
        int changed = 0;
        for (int y = 0; y < expected.getHeight(); y++) {
            for (int x = 0; x < expected.getWidth(); x++) {
                boolean same = expected.getRGB(x, y) == actual.getRGB(x, y);
                double[] p = face == null ? null : face.toPatch((x + 0.5) / scale, (y + 0.5) / scale);
                if (p != null && FaceEnhancer.mask(p[0], p[1], 128) > 0) {
                    changed += same ? 0 : 1;
                } else if (!same) {
                    fail("pixel (" + x + ", " + y + ") outside every mask differs from the bicubic photo");
                }
            }
        }
        return changed;
    }
}
