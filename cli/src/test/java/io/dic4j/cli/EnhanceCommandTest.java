package io.dic4j.cli;

import static io.dic4j.cli.UpscaleCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dic4j.image.Images;
import io.dic4j.image.PilResize;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnhanceCommandTest {

    @TempDir
    Path dir;

    /** The example face (16×16, DIC's framing) on a 64×48 grey photo at (23, 13). */
    private Path astronautPhoto(Path folder) throws Exception {
        BufferedImage photo = UpscaleCommandTest.solid(64, 48, BufferedImage.TYPE_INT_RGB, 0x787878);
        photo.createGraphics().drawImage(Images.readRgb(Path.of("examples/astronaut_lr.png")), 23, 13, null);
        Path file = folder.resolve("astronaut_photo.png");
        ImageIO.write(photo, "png", file.toFile());
        return file;
    }

    @Test
    void aPhotoGetsItsFaceEnhancedAndDescribedInInputPixels() throws Exception {
        Path out = dir.resolve("out");
        UpscaleCommandTest.Run r = run("enhance", astronautPhoto(dir).toString(), "-o", out.toString(),
                "--save-faces", "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        BufferedImage image = ImageIO.read(out.resolve("astronaut_photo.png").toFile());
        assertEquals(512, image.getWidth());
        assertEquals(384, image.getHeight());
        JsonNode faces = new ObjectMapper().readTree(out.resolve("astronaut_photo.json").toFile()).get("faces");
        assertEquals(1, faces.size(), faces.toString());
        JsonNode face = faces.get(0);
        assertTrue(face.get("enhanced").asBoolean(), face.toString());
        assertEquals(68, face.get("landmarks").size());
        assertEquals(6, face.get("keypoints").size());
        JsonNode box = face.get("box");
        // the face's 16 px square, in input pixels
        assertEquals(23, box.get(0).asDouble(), 3);
        assertEquals(13 + 16, box.get(3).asDouble(), 3);
        assertEquals(16, ImageIO.read(out.resolve("astronaut_photo_face0_lr.png").toFile()).getWidth());
        assertEquals(128, ImageIO.read(out.resolve("astronaut_photo_face0_sr.png").toFile()).getWidth());
    }

    @Test
    void aPhotoWithoutFacesIsUpscaledAndAnUnreadableOneIsNamedWithNoOutput() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        BufferedImage plain = UpscaleCommandTest.solid(30, 20, BufferedImage.TYPE_INT_RGB, 0x336699);
        ImageIO.write(plain, "png", in.resolve("plain.png").toFile());
        Files.write(in.resolve("broken.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
        Path out = dir.resolve("out");
        UpscaleCommandTest.Run r = run("enhance", in.toString(), "-o", out.toString(), "--upscale", "2", "--json");
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains(in.resolve("broken.png").toString()), r.err());
        JsonNode summary = r.json();
        assertEquals(1, summary.get("written").asInt());
        assertEquals("" + in.resolve("broken.png"), summary.get("failed").get(0).get("input").asText());
        assertEquals(0, summary.get("faces").asInt());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(List.of("plain.json", "plain.png"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals(0, new ObjectMapper().readTree(out.resolve("plain.json").toFile()).get("faces").size());
        BufferedImage expected = PilResize.resize(plain, 60, 40);
        BufferedImage actual = Images.readRgb(out.resolve("plain.png"));
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 60; x++) {
                assertEquals(expected.getRGB(x, y), actual.getRGB(x, y), "pixel (" + x + ", " + y + ")");
            }
        }
    }

    @Test
    void aWrongUpscaleIsAUsageError() throws IOException {
        UpscaleCommandTest.Run r = run("enhance", "examples/astronaut_lr.png", "-o", dir.toString(), "--upscale", "0");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("upscale factor must be at least 1, got 0"), r.err());
    }
}
