package io.dic4j.model.ops;

import static io.dic4j.testing.Fixtures.assertClose;
import static io.dic4j.testing.Fixtures.assertRelClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import io.dic4j.model.layers.ForwardMode;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The projections in the phase layout against the image path they replace: {@link TransposedConv} (checked against
 * PyTorch in {@link OpsTest} and the block parity tests) and PyTorch's strided conv. Random values reach the cropped
 * border of the phase grid, so a wrong border mask shows as a difference in the strided conv's edge outputs.
 */
class SubPixelProjectionTest {

    private static final long BATCH = 2;
    private static final long CIN = 3;
    private static final long COUT = 4;

    @ParameterizedTest(name = "K {0}, s {1}, p {2}, {3}x{4}")
    // 12, 8, 4: the last block of the grid lies wholly outside the image; 4, 2 and 2, 2: one part; 7, 3 and 5, 4:
    // parts of unequal phase counts (1, 2, 2, 4 and 1, 3, 3, 9)
    @CsvSource({"12, 8, 2, 4, 3", "12, 8, 4, 3, 3", "6, 4, 1, 3, 5", "3, 2, 1, 5, 4", "4, 2, 0, 3, 3", "2, 2, 0, 2, 3",
        "7, 3, 2, 3, 4", "5, 4, 1, 4, 3"})
    void phasesHoldTheTransposedConvAndTheStridedConvReadsThem(int k, int s, int p, int h, int w) {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(k * 100 + s * 10 + p);
            NDArray x = m.randomNormal(new Shape(BATCH, CIN, h, w));
            NDArray upWeight = m.randomNormal(new Shape(CIN, COUT, k, k));
            NDArray upBias = m.randomNormal(new Shape(COUT));
            NDArray downWeight = m.randomNormal(new Shape(CIN, COUT, k, k));
            NDArray downBias = m.randomNormal(new Shape(CIN));

            SubPixelProjection projection = new SubPixelProjection(k, s, p);
            NDArray image = TransposedConv.apply(x, upWeight, upBias, s, p, ForwardMode.INFERENCE);
            NDList phases = projection.up(x, projection.upKernels(upWeight), upBias, ForwardMode.INFERENCE);
            assertArrayEquals(projection.phaseShapes(x.getShape(), COUT),
                    phases.stream().map(NDArray::getShape).toArray());
            assertEquals(image.getShape(), projection.imageShape(phases.get(0).getShape()));
            assertClose(toImage(phases, k, s, p, image.getShape()), image, 1e-5, "phases vs transposed conv");

            NDArray expected = Conv2d.conv2d(image, downWeight, downBias, new Shape(s, s), new Shape(p, p))
                    .singletonOrThrow();
            NDArray down = projection.down(phases, projection.downKernels(downWeight), downBias, ForwardMode.INFERENCE);
            assertEquals(x.getShape().slice(2).toString(), down.getShape().slice(2).toString());
            assertClose(down, expected, 1e-4, "strided conv of the phases vs of the image");
        }
    }

    @ParameterizedTest(name = "K {0}, s {1}, p {2}")
    @CsvSource({"12, 8, 2", "3, 2, 1"})
    void gradientsEqualTheImagePaths(int k, int s, int p) {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            NDArray x = m.randomNormal(new Shape(BATCH, CIN, 3, 4));
            NDArray upWeight = m.randomNormal(new Shape(CIN, COUT, k, k));
            NDArray downWeight = m.randomNormal(new Shape(CIN, COUT, k, k));
            NDArray upBias = m.randomNormal(new Shape(COUT));
            NDArray downBias = m.randomNormal(new Shape(CIN));
            NDArray probe = m.randomNormal(new Shape(BATCH, CIN, 3, 4));

            NDArray[] inputs = {x, upWeight, upBias, downWeight};
            NDArray[] viaImage = gradients(inputs, v -> {
                NDArray image = TransposedConv.apply(v[0], v[1], v[2], s, p, ForwardMode.RECORDED);
                return Conv2d.conv2d(image, v[3], downBias, new Shape(s, s), new Shape(p, p))
                        .singletonOrThrow().mul(probe).sum();
            });
            SubPixelProjection projection = new SubPixelProjection(k, s, p);
            NDArray[] viaPhases = gradients(inputs, v -> {
                NDList phases = projection.up(v[0], projection.upKernels(v[1]), v[2], ForwardMode.RECORDED);
                return projection.down(phases, projection.downKernels(v[3]), downBias, ForwardMode.RECORDED).mul(probe).sum();
            });
            String[] names = {"input", "up weight", "up bias", "down weight"};
            for (int i = 0; i < names.length; i++) {
                assertRelClose(viaPhases[i], viaImage[i], 1e-6, names[i] + " gradient");
            }
        }
    }

    /** The gradients of {@code loss} with respect to fresh copies of {@code inputs}. */
    private static NDArray[] gradients(NDArray[] inputs, Function<NDArray[], NDArray> loss) {
        NDArray[] copies = new NDArray[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            copies[i] = inputs[i].duplicate();
            copies[i].setRequiresGradient(true);
        }
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(loss.apply(copies));
        }
        NDArray[] grads = new NDArray[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            grads[i] = copies[i].getGradient();
        }
        return grads;
    }

    /**
     * The parts' phases put back into the image grid, the transposed conv's padding cropped. Phase r of a block reads
     * ⌈(K − r)/s⌉ input rows; the parts are the classes of equal row and column counts, longest first, each holding
     * its phases row-major; a part with one tap fewer has one block fewer.
     */
    private static NDArray toImage(NDList parts, int k, int s, int p, Shape image) {
        int longPhases = k - s * ((k + s - 1) / s - 1);
        int[][] spans = longPhases == s ? new int[][] {{0, s}} : new int[][] {{0, longPhases}, {longPhases, s}};
        Shape first = parts.get(0).getShape();
        long n = first.get(0);
        long c = first.get(1);
        long blockRows = first.get(2);
        long blockCols = first.get(3) / ((long) spans[0][1] * spans[0][1]);
        NDArray grid = parts.get(0).getManager().zeros(new Shape(n, c, blockRows, blockCols, s, s));
        int i = 0;
        for (int[] rows : spans) {
            for (int[] cols : spans) {
                NDArray part = parts.get(i++);
                long ny = rows[1] - rows[0];
                long nx = cols[1] - cols[0];
                Shape ps = part.getShape();
                long partCols = ps.get(3) / (ny * nx);
                grid.set(new NDIndex(":, :, 0:{}, 0:{}, {}:{}, {}:{}", ps.get(2), partCols, rows[0], rows[1], cols[0],
                        cols[1]), part.reshape(n, c, ps.get(2), partCols, ny, nx));
            }
        }
        assertEquals(i, parts.size(), "parts");
        NDArray pixels = grid.transpose(0, 1, 2, 4, 3, 5).reshape(n, c, blockRows * s, blockCols * s);
        return pixels.get(new NDIndex(":, :, {}:{}, {}:{}", p, p + image.get(2), p, p + image.get(3)));
    }
}
