package io.dic4j.model;

import static io.dic4j.testing.Fixtures.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.dic4j.model.layers.ForwardMode;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every run of maps reads as its channel concatenation, through the buffer (buffered, one face, no graph) or
 * concatenated.
 */
class DenseFeaturesTest {

    @ParameterizedTest(name = "batch {0}, {1} pass, buffered {2}")
    @CsvSource({"1, INFERENCE, true", "1, RECORDED, true", "2, INFERENCE, true", "2, RECORDED, true",
        "1, CHECKPOINT, true", "2, CHECKPOINT, true", "1, INFERENCE, false", "2, RECORDED, false"})
    void runsReadAsTheirConcatenation(int batch, ForwardMode mode, boolean buffered) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray[] maps = new NDArray[4];
            for (int i = 0; i < maps.length; i++) {
                maps[i] = m.arange(i * 1000f, i * 1000f + batch * 2 * 3 * 5).reshape(batch, 2, 3, 5);
            }
            DenseFeatures dense = buffered ? DenseFeatures.buffered(maps.length, mode)
                    : DenseFeatures.concatenating(maps.length);
            for (int added = 1; added <= maps.length; added++) {
                dense.add(maps[added - 1]);
                for (int from = 0; from < added; from++) {
                    NDArray expected = NDArrays.concat(new NDList(Arrays.copyOfRange(maps, from, added)), 1);
                    NDArray actual = dense.concat(from);
                    assertArrayEquals(expected.getShape().getShape(), actual.getShape().getShape());
                    assertClose(actual, expected, 0, "maps " + from + ".." + (added - 1));
                }
            }
            // a single map is passed through as it is
            assertSame(maps[maps.length - 1], dense.concat(maps.length - 1));
            // apply closes the concatenation it made, never a stored map
            NDArray[] given = new NDArray[2];
            NDArray sum = dense.apply(0, in -> {
                given[0] = in;
                return in.sum();
            });
            dense.apply(maps.length - 1, in -> given[1] = in);
            assertClose(sum, NDArrays.concat(new NDList(maps), 1).sum(), 0, "f of the concatenation");
            assertTrue(given[0].isReleased(), "the concatenation made for apply is closed");
            assertSame(maps[maps.length - 1], given[1]);
            assertTrue(Arrays.stream(maps).noneMatch(NDArray::isReleased), "stored maps stay open");
            assertThrows(IllegalStateException.class, () -> dense.add(maps[0]));
        }
    }
}

