package io.dic4j.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dic4j.testing.Pngs;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesTest {

    @TempDir
    Path dir;

    @Test
    void a400MegapixelPngIsRefusedFromItsHeaderNamingTheFileAndItsSize() throws IOException {
        Path bomb = dir.resolve("bomb.png");
        Files.write(bomb, Pngs.black(20000, 20000));
        assertTrue(Files.size(bomb) < 200_000, "the bomb is small on disk: " + Files.size(bomb));

        ImageReadException e = assertThrows(ImageReadException.class, () -> Images.readRgb(bomb));
        assertEquals(bomb + ": 20000x20000 is 400,000,000 pixels, over the limit of 178,956,970 (a decompression"
                + " bomb? the limit is --max-pixels, Images.setMaxPixels)", e.getMessage());
    }

    @Test
    void aBmpWrappingAJpegIsRefusedBeforeItsInnerSizeIsDecoded() {
        // found by ImagesFuzzTest#readRgb in a 10-minute run: 60 bytes, a 16x8 BMP header with compression 4
        // (BI_JPEG), on which the JDK's reader ran out of heap decoding the inner image
        byte[] bmp = HexFormat.of().parseHex("424d360300000000000032000010280000001000000008000000000000000400"
                + "00000b082463012e90030000130b0880f08080546494a4b4c4d41a0a");
        ImageReadException e = assertThrows(ImageReadException.class, () -> Images.readRgb(bmp, "bomb.bmp"));
        assertTrue(e.getMessage().contains("bomb.bmp") && e.getMessage().contains("BMP holding a JPEG or PNG"),
                e.getMessage());
    }

    @Test
    void theLimitIsASettingAndAnImageAtItIsRead() throws IOException {
        byte[] png = Pngs.black(16, 16);
        long before = Images.maxPixels();
        try {
            Images.setMaxPixels(256);
            BufferedImage image = Images.readRgb(png, "face.png");
            assertEquals(16, image.getWidth());
            assertEquals(0, image.getRGB(3, 5) & 0xffffff);
            Images.setMaxPixels(255);
            ImageReadException e = assertThrows(ImageReadException.class, () -> Images.readRgb(png, "face.png"));
            assertTrue(e.reason().startsWith("16x16 is 256 pixels, over the limit of 255"), e.reason());
        } finally {
            Images.setMaxPixels(before);
        }
        assertThrows(IllegalArgumentException.class, () -> Images.setMaxPixels(0));
    }

    @Test
    void theHandMadePngIsOneImageIoReadsAsBlack() throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Pngs.black(40, 3)));
        assertEquals(40, image.getWidth());
        assertEquals(3, image.getHeight());
        assertEquals(0, image.getRGB(39, 2) & 0xffffff);
    }
}
