import io.dic4j.data.FaceBox;
import io.dic4j.data.FaceDataset;
import io.dic4j.data.FaceRecord;
import io.dic4j.enhance.FaceEnhancer;
import io.dic4j.image.Images;
import io.dic4j.image.PilResize;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;

/**
 * Scores `dic4j enhance` on photos composed from the 300-W validation split (issue 17): each face's crop-with-context
 * is Pillow-resized so its DIC box is F px (F in 12..32), four such thumbnails make a 2×2 mosaic on grey, and the
 * same crops resized to 8× the thumbnail size make the true 8× mosaic. Per size bucket: recall (a detection centred
 * inside the true box), and the Y PSNR over each true face box at 8× of the enhanced photo and of the Pillow-bicubic
 * 8× photo, against the truth; for PNG thumbnails and for JPEG quality 75 ones. The photos are made in memory.
 *
 *   java -cp core/target/classes:$(cat cp.txt) tools/EnhanceEval.java ../shared/data/faces300w/train \
 *       training/faces300w/val_list.txt FACES MIN_FACE_SIDE MAX_FACE_SIDE
 */
public class EnhanceEval {

    static final int[] SIZES = {12, 14, 16, 18, 20, 24, 28, 32};
    static final int UP = 8;

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        List<FaceRecord> faces = FaceDataset.open(root.resolve("info_list.pkl"), root).subset(Path.of(args[1]), true)
                .records();
        faces = faces.subList(0, Math.min(faces.size(), Integer.parseInt(args[2])));
        FaceEnhancer.Options options = new FaceEnhancer.Options(UP, 0.5, Integer.MAX_VALUE, false,
                Double.parseDouble(args[3]), Double.parseDouble(args[4]));
        try (FaceEnhancer enhancer = FaceEnhancer.builtIn()) {
            System.out.println("| box px | format | faces | recall | enhanced | bicubic PSNR | enhance PSNR | gain dB"
                    + " | false detections | of them enhanced |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|");
            for (boolean jpeg : new boolean[] {false, true}) {
                for (int size : SIZES) {
                    double[] sums = new double[7];
                    for (int from = 0; from + 4 <= faces.size(); from += 4) {
                        score(enhancer, options, faces.subList(from, from + 4), size, jpeg, sums);
                    }
                    double n = sums[0];
                    System.out.printf(Locale.ROOT, "| %d | %s | %.0f | %.3f | %.3f | %.2f | %.2f | %+.2f"
                            + " | %.0f | %.0f |%n", size, jpeg ? "JPEG 75" : "PNG", n, sums[1] / n, sums[2] / n,
                            sums[3] / n, sums[4] / n,
                            (sums[4] - sums[3]) / n, sums[5], sums[6]);
                }
            }
        }
    }

    /**
     * One 2×2 mosaic of four faces with boxes of {@code size} px; adds faces, found, enhanced, PSNRs, and the
     * detections centred in no true box (and how many of those were enhanced) to sums.
     */
    static void score(FaceEnhancer enhancer, FaceEnhancer.Options options, List<FaceRecord> four, int size,
            boolean jpeg, double[] sums) throws Exception {
        List<BufferedImage> small = new ArrayList<>();
        List<BufferedImage> truth = new ArrayList<>();
        List<double[]> boxes = new ArrayList<>();
        int cell = 0;
        for (FaceRecord f : four) {
            BufferedImage img = Images.readRgb(f.image());
            FaceBox b = f.box();
            double r = (double) size / b.width();
            int w = (int) Math.round(img.getWidth() * r);
            int h = (int) Math.round(img.getHeight() * r);
            small.add(PilResize.resize(img, w, h));
            truth.add(PilResize.resize(img, w * UP, h * UP));
            double sx = (double) w / img.getWidth();
            double sy = (double) h / img.getHeight();
            boxes.add(new double[] {b.xmin() * sx, b.ymin() * sy, b.xmax() * sx, b.ymax() * sy});
            cell = Math.max(cell, Math.max(w, h));
        }
        BufferedImage photo = canvas(2 * cell, 1);
        BufferedImage hr = canvas(2 * cell, UP);
        List<double[]> placed = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int ox = (i % 2) * cell;
            int oy = (i / 2) * cell;
            photo.createGraphics().drawImage(small.get(i), ox, oy, null);
            hr.createGraphics().drawImage(truth.get(i), ox * UP, oy * UP, null);
            double[] b = boxes.get(i);
            placed.add(new double[] {b[0] + ox, b[1] + oy, b[2] + ox, b[3] + oy});
        }
        if (jpeg) {
            photo = jpeg75(photo);
        }
        FaceEnhancer.Result r = enhancer.enhance(photo, options);
        BufferedImage bicubic = PilResize.resize(photo, photo.getWidth() * UP, photo.getHeight() * UP);
        for (double[] b : placed) {
            sums[0]++;
            for (FaceEnhancer.Face f : r.faces()) {
                if (centredIn(f, b)) {
                    sums[1]++;
                    sums[2] += f.enhanced() ? 1 : 0;
                    break;
                }
            }
            sums[3] += psnrY(bicubic, hr, b);
            sums[4] += psnrY(r.image(), hr, b);
        }
        for (FaceEnhancer.Face f : r.faces()) {
            if (placed.stream().noneMatch(b -> centredIn(f, b))) {
                sums[5]++;
                sums[6] += f.enhanced() ? 1 : 0;
            }
        }
    }

    /** A face is found when its detection's centre lies in the true box. */
    static boolean centredIn(FaceEnhancer.Face f, double[] box) {
        double cx = f.detection().centreX();
        double cy = f.detection().centreY();
        return cx >= box[0] && cx < box[2] && cy >= box[1] && cy < box[3];
    }

    static BufferedImage canvas(int side, int up) {
        BufferedImage c = new BufferedImage(side * up, side * up, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = c.createGraphics();
        g.setColor(new Color(128, 128, 128));
        g.fillRect(0, 0, c.getWidth(), c.getHeight());
        g.dispose();
        return c;
    }

    static BufferedImage jpeg75(BufferedImage img) throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam p = writer.getDefaultWriteParam();
        p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        p.setCompressionQuality(0.75f);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(img, null, null), p);
        }
        writer.dispose();
        return Images.toRgb(ImageIO.read(new ByteArrayInputStream(bytes.toByteArray())));
    }

    /** PSNR of the luma (BT.601, as DIC's evaluation) over the box scaled by UP. */
    static double psnrY(BufferedImage a, BufferedImage b, double[] box) {
        int x0 = Math.max(0, (int) Math.floor(box[0] * UP));
        int y0 = Math.max(0, (int) Math.floor(box[1] * UP));
        int x1 = Math.min(a.getWidth(), (int) Math.ceil(box[2] * UP));
        int y1 = Math.min(a.getHeight(), (int) Math.ceil(box[3] * UP));
        double se = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                double d = luma(a.getRGB(x, y)) - luma(b.getRGB(x, y));
                se += d * d;
            }
        }
        return 10 * Math.log10(255.0 * 255.0 / (se / ((x1 - x0) * (y1 - y0))));
    }

    static double luma(int p) {
        return 16 + (65.481 * ((p >> 16) & 0xff) + 128.553 * ((p >> 8) & 0xff) + 24.966 * (p & 0xff)) / 255;
    }
}
