package dev.vitex.core.eval;

import ai.djl.ndarray.NDArray;

/**
 * Receives the results of samples {@code [from, from + scores.size)} of one request. Arrays live in
 * the batch's manager and are closed after the call: copy out what you keep.
 */
@FunctionalInterface
public interface ResultSink {
    /**
     * @param scores target scores, shape (k)
     * @param values per-sample gradients times the multiplier, shape (k, C, H, W); {@code null} in score-only runs
     */
    void accept(int from, NDArray scores, NDArray values);
}
