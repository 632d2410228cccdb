package io.dic4j.weights;

import java.util.Arrays;

/**
 * A named weight as read from a file: its shape and its values as float32 (the precision DIC runs in).
 *
 * @param shape PyTorch shape
 * @param values row-major values
 */
public record Tensor(long[] shape, float[] values) {

    public Tensor {
        long n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (n != values.length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " needs " + n + " values, got " + values.length);
        }
    }

    public String shapeString() {
        return shapeString(shape);
    }

    public static String shapeString(long[] shape) {
        return shape.length == 0 ? "()" : String.join("x", Arrays.stream(shape).mapToObj(Long::toString).toList());
    }
}
