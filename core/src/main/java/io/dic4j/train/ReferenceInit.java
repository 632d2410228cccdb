package io.dic4j.train;

import ai.djl.engine.Engine;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;

/**
 * The reference trainer's initialisation of a network trained from scratch: every conv weight drawn from
 * N(0, 2/fan_in) (Kaiming, fan-in), biases zero, PReLU slopes 0.2 as built. Set before {@code initialize}.
 *
 * <p>Not on the hourglass: the reference always replaces it with pre-trained weights, and Kaiming-initialised it
 * diverges (its residual stacks have no normalisation: heatmap loss 6e7 after 25 iterations, measured). Left
 * as built, it has PyTorch's default initialisation, that of a PyTorch module with no init call.
 */
final class ReferenceInit {

    private ReferenceInit() {}

    /** Seeds the engine and sets Kaiming initialisation on every child of {@code network} but {@code hourglass}. */
    static void apply(Block network, Block hourglass, long seed) {
        seed(seed);
        for (Block child : network.getChildren().values()) {
            if (child != hourglass) {
                // Xavier with a Gaussian, fan-in factor and magnitude 2 is std = sqrt(2 / fan_in)
                child.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                        XavierInitializer.FactorType.IN, 2), Parameter.Type.WEIGHT);
                child.setInitializer(Initializer.ZEROS, Parameter.Type.BIAS);
            }
        }
    }

    /** Seeds the engine's generator, which draws the initial weights. */
    static void seed(long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
    }
}
