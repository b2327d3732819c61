package dev.vitex.core.eval;

import ai.djl.ndarray.NDArray;

/**
 * Model inputs of one segment, and for gradient methods the multiplier applied to each sample's
 * gradient ({@code null} = none): the input itself for input × gradient, {@code x − b_i} for
 * GradientShap, {@code w_i (x − b)} for IntegratedGradients.
 */
public record Samples(NDArray inputs, NDArray multiplier) {
    public static Samples of(NDArray inputs) {
        return new Samples(inputs, null);
    }
}
