package io.dic4j.train;

import ai.djl.ndarray.NDArray;
import io.dic4j.model.ops.Constants;

/**
 * The vanilla GAN loss of the reference ({@code GANLoss('vanilla')}): binary cross-entropy of the logits against
 * "real" (1) or "fake" (0), mean over the batch, as PyTorch's {@code BCEWithLogitsLoss}.
 */
final class GanLoss {

    private GanLoss() {}

    /** mean(−t·log σ(x) − (1 − t)·log(1 − σ(x))) = mean(softplus(∓x)), computed without overflow. */
    static NDArray of(NDArray logits, boolean real) {
        NDArray z = real ? logits.neg() : logits;
        // softplus(z) = max(z, 0) + log(1 + exp(−|z|))
        return z.maximum(Constants.scalar(z.getManager(), 0f)).add(z.abs().neg().exp().add(1f).log()).mean();
    }
}
