package dev.vitex.core.model;

import ai.djl.ndarray.NDArray;

/**
 * Per-sample scores of the selected targets, shape (N), and optionally their input gradients,
 * shape (N, C, H, W). Both live in the manager of the input they were computed from.
 */
public record TargetScores(NDArray scores, NDArray gradients) {}
