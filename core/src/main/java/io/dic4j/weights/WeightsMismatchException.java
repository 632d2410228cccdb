package io.dic4j.weights;

/** A weights file whose tensors do not fit the network; the message names every offending tensor. */
public class WeightsMismatchException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public WeightsMismatchException(String message) {
        super(message);
    }
}
