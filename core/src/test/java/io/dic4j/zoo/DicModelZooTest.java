package io.dic4j.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.modality.cv.output.Point;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import io.dic4j.image.Images;
import io.dic4j.infer.DicOutput;
import io.dic4j.infer.DicPredictor;
import io.dic4j.infer.Precision;
import io.dic4j.testing.Fixtures;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The models behind DJL's Criteria give what {@link DicPredictor} gives, pixel for pixel, alone and in batches. */
class DicModelZooTest {

    static final Path EXAMPLE = Path.of("examples/astronaut_lr.png");

    @TempDir
    Path dir;

    static Criteria.Builder<Image, DicOutput> criteria() {
        return Criteria.builder().setTypes(Image.class, DicOutput.class).optGroupId(DicModelZoo.GROUP_ID);
    }

    /** Two faces: the example and its mirror image. */
    static List<BufferedImage> faces() throws Exception {
        BufferedImage face = Images.readRgb(EXAMPLE);
        BufferedImage mirror = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                mirror.setRGB(15 - x, y, face.getRGB(x, y));
            }
        }
        return List.of(face, mirror);
    }

    static void assertSameAsThePredictor(ZooModel<Image, DicOutput> model, DicPredictor reference) throws Exception {
        List<BufferedImage> faces = faces();
        List<DicPredictor.Result> expected = reference.predict(faces);
        List<Image> images = new ArrayList<>();
        for (BufferedImage f : faces) {
            images.add(ImageFactory.getInstance().fromImage(f));
        }
        try (Predictor<Image, DicOutput> p = model.newPredictor()) {
            List<DicOutput> batch = p.batchPredict(images);
            DicOutput alone = p.predict(images.get(1));
            for (int i = 0; i < faces.size(); i++) {
                DicOutput out = i == 1 ? alone : batch.get(i);
                assertEquals(expected.get(i).steps().size(), out.steps().size());
                assertArrayEquals(pixels(expected.get(i).sr()), pixels((BufferedImage) out.sr().getWrappedImage()),
                        "face " + i);
                List<Point> points = new ArrayList<>();
                out.landmarks().getPath().forEach(points::add);
                assertEquals(68, points.size());
                // sub-pixel points from heatmaps of another batch size: equal to float rounding, which the parabola
                // through a flat peak (the small fixture's heatmaps) magnifies to 1.4e-3 px on one thread
                for (int k = 0; k < 68; k++) {
                    assertEquals(expected.get(i).landmarks()[k][0], points.get(k).getX(), 1e-2);
                    assertEquals(expected.get(i).landmarks()[k][1], points.get(k).getY(), 1e-2);
                }
            }
            // the batch and the face alone: one network, two batch sizes, the same pixels
            assertArrayEquals(pixels((BufferedImage) batch.get(1).sr().getWrappedImage()),
                    pixels((BufferedImage) alone.sr().getWrappedImage()));
        }
    }

    static int[] pixels(BufferedImage img) {
        return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
    }

    @Test
    void theBuiltInModelEqualsThePredictor() throws Exception {
        try (ZooModel<Image, DicOutput> model = criteria().optArtifactId(DicModelZoo.BUILT_IN_ARTIFACT).build()
                .loadModel(); DicPredictor reference = DicPredictor.builtIn()) {
            assertSameAsThePredictor(model, reference);
        }
    }

    @Test
    void thePrecisionArgumentRunsBfloat16() throws Exception {
        try (ZooModel<Image, DicOutput> model = criteria().optArtifactId(DicModelZoo.BUILT_IN_ARTIFACT)
                .optArgument("precision", "bf16").build().loadModel();
                DicPredictor reference = DicPredictor.builtIn(Precision.BF16)) {
            assertSameAsThePredictor(model, reference);
        }
        Exception wrong = assertThrows(Exception.class, () -> criteria().optArtifactId(
                DicModelZoo.BUILT_IN_ARTIFACT).optArgument("precision", "fp16").build().loadModel());
        assertTrue(wrong.getMessage().contains("unknown precision 'fp16', expected one of fp32, bf16"),
                wrong.getMessage());
    }

    @Test
    void theAuthorsCheckpointAndADic4jFileLoadThroughTheirPath() throws Exception {
        Path checkpoint = Fixtures.path("dic_small_ckp.pth");
        try (ZooModel<Image, DicOutput> model = criteria().optArtifactId(DicModelZoo.WEIGHTS_ARTIFACT)
                .optArgument("weights", checkpoint).build().loadModel();
                DicPredictor reference = DicPredictor.load(checkpoint)) {
            assertSameAsThePredictor(model, reference);
        }
        Path safetensors = dir.resolve("builtin.safetensors");
        try (var in = DicModelZooTest.class.getResourceAsStream("/io/dic4j/models/dic4j-faces300w.safetensors")) {
            Files.copy(in, safetensors);
        }
        try (ZooModel<Image, DicOutput> model = criteria().optArtifactId(DicModelZoo.WEIGHTS_ARTIFACT)
                .optArgument("weights", safetensors.toString()).build().loadModel();
                DicPredictor reference = DicPredictor.builtIn()) {
            assertSameAsThePredictor(model, reference);
        }
    }

    @Test
    void imageToImageGivesTheSrFace() throws Exception {
        Criteria<Image, Image> c = Criteria.builder().setTypes(Image.class, Image.class)
                .optGroupId(DicModelZoo.GROUP_ID).optArtifactId(DicModelZoo.BUILT_IN_ARTIFACT).build();
        try (ZooModel<Image, Image> model = c.loadModel(); Predictor<Image, Image> p = model.newPredictor();
                DicPredictor reference = DicPredictor.builtIn()) {
            Image sr = p.predict(ImageFactory.getInstance().fromFile(EXAMPLE));
            assertEquals(128, sr.getWidth());
            assertArrayEquals(pixels(reference.predict(List.of(Images.readRgb(EXAMPLE))).get(0).sr()),
                    pixels((BufferedImage) sr.getWrappedImage()));
        }
    }

    @Test
    void missingOrBrokenWeightsAndOtherTypesAreNamed() throws Exception {
        ModelNotFoundException missing = assertThrows(ModelNotFoundException.class,
                () -> criteria().optArtifactId(DicModelZoo.WEIGHTS_ARTIFACT).build().loadModel());
        assertTrue(String.valueOf(missing.getCause()).contains("needs the argument \"weights\""),
                String.valueOf(missing.getCause()));
        Path notWeights = Files.writeString(dir.resolve("notes.npz"), "not an npz");
        Exception broken = assertThrows(Exception.class, () -> criteria().optArtifactId(
                DicModelZoo.WEIGHTS_ARTIFACT).optArgument("weights", notWeights).build().loadModel());
        assertTrue(broken.getMessage().contains("notes.npz") || String.valueOf(broken.getCause()).contains(
                "notes.npz"), broken.toString());
        Path foreign = dir.resolve("foreign.safetensors");
        io.dic4j.weights.StateDict.read(Fixtures.path("dic_small_ckp.pth")).only(java.util.Set.of("conv_in.0.weight"))
                .writeSafetensors(foreign);
        MalformedModelException malformed = assertThrows(MalformedModelException.class, () -> criteria()
                .optArtifactId(DicModelZoo.WEIGHTS_ARTIFACT).optArgument("weights", foreign).build().loadModel());
        assertTrue(malformed.getMessage().contains("foreign.safetensors"), malformed.getMessage());
        ModelNotFoundException types = assertThrows(ModelNotFoundException.class, () -> Criteria.builder()
                .setTypes(Image.class, String.class).optGroupId(DicModelZoo.GROUP_ID)
                .optArtifactId(DicModelZoo.BUILT_IN_ARTIFACT).build().loadModel());
        assertTrue(String.valueOf(types.getCause()).contains("Image -> Image"), String.valueOf(types.getCause()));
    }
}
