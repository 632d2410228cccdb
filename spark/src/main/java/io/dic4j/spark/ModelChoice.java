package io.dic4j.spark;

import io.dic4j.infer.Precision;
import java.io.Serializable;

/**
 * The DIC every executor runs: shipped to the tasks, and the key of the executor's loaded models.
 *
 * @param weights DIC's weights on every executor (a path, or the name of a file shipped with {@code --files}); null
 *     for the built-in model
 * @param precision what its convolutions compute in
 */
record ModelChoice(String weights, Precision precision) implements Serializable {}
