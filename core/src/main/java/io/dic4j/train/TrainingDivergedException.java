package io.dic4j.train;

import java.io.IOException;

/** A training run whose loss became NaN or infinite; the message names the step and the last good checkpoint. */
public class TrainingDivergedException extends IOException {
    private static final long serialVersionUID = 1L;

    public TrainingDivergedException(String message) {
        super(message);
    }
}
