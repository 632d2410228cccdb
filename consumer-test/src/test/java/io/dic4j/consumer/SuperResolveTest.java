package io.dic4j.consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** What the README's "The library" section shows, in a project that depends on dic4j-core alone. */
class SuperResolveTest {

    @Test
    void theExampleFaceThroughCriteriaEqualsTheClisOutput() throws Exception {
        Criteria<Image, Image> criteria = Criteria.builder()
                .setTypes(Image.class, Image.class)
                .optGroupId("io.dic4j")
                .optArtifactId("dic4j-faces300w")
                .build();
        try (ZooModel<Image, Image> model = criteria.loadModel();
                Predictor<Image, Image> predictor = model.newPredictor()) {
            Image sr = predictor.predict(ImageFactory.getInstance().fromFile(Path.of("examples/astronaut_lr.png")));
            // examples/astronaut_sr.png is ./dic4j upscale's output for the same face (UpscaleCommandTest checks it)
            BufferedImage cli = ImageIO.read(Path.of("examples/astronaut_sr.png").toFile());
            BufferedImage ours = (BufferedImage) sr.getWrappedImage();
            assertArrayEquals(cli.getRGB(0, 0, 128, 128, null, 0, 128), ours.getRGB(0, 0, 128, 128, null, 0, 128));
        }
    }

    @Test
    void theClisLibrariesAreNotOnTheClassPath() {
        for (String cliOnly : new String[] {"picocli.CommandLine", "org.knowm.xchart.XYChart",
            "me.tongfei.progressbar.ProgressBar", "org.slf4j.simple.SimpleLogger"}) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(cliOnly), cliOnly);
        }
    }
}
