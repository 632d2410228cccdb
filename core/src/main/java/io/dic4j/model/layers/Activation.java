package io.dic4j.model.layers;

/** The nonlinearity that follows a {@link ConvLayer}. */
public enum Activation {
    NONE,
    RELU,
    /** One learnable slope shared by all channels, initialised to 0.2 as in DIC. */
    PRELU,
    /** Slope 0.2, as in the attentive fusion module. */
    LEAKY_RELU
}
