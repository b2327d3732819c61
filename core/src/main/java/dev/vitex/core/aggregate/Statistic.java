package dev.vitex.core.aggregate;

/** The per-element reduction over perturbation samples. */
public enum Statistic {
    /** Σ_i v_i (IntegratedGradients: the quadrature weights are in the multiplier). */
    SUM,
    /** mean_i v_i. */
    MEAN,
    /** unbiased variance over i (divisor n − 1). */
    VARIANCE,
    /** mean_i v_i². */
    MEAN_OF_SQUARES
}
