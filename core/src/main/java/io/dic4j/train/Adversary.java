package io.dic4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;

/**
 * A network trained against a task's after each of the task's updates, with its own Adam and learning rate
 * (the task's milestones): DICGAN's discriminator.
 */
public interface Adversary {

    /** Its network, whose parameters its updates change (and nothing else). */
    Block network();

    /** Its initial learning rate ({@code learning_rate_D}). */
    double learningRate();

    /** Its Adam weight decay ({@code weight_decay_D}). */
    double weightDecay();

    /**
     * Its loss on a batch's real faces and the task network's output for them, detached so that no gradient
     * reaches the task network. {@link TrainingTask.Losses#total()} is back-propagated; the terms are logged.
     */
    TrainingTask.Losses loss(NDManager manager, NDArray real, NDArray fake);
}
