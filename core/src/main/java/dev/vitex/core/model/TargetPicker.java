package dev.vitex.core.model;

import ai.djl.ndarray.NDArray;

/**
 * Picks the explained class of every sample of a batch inside the forward + backward pass, from every
 * class's scores of that same forward: a method whose pass evaluates x itself then needs no separate
 * target-selection forward (methods.md § Targets).
 */
@FunctionalInterface
public interface TargetPicker {
    /**
     * @param scores every class's score of every sample after the inference mode, (N, classes), detached
     *     from the graph; read it before returning (it is the batch's)
     * @return one target per sample
     */
    int[] pick(NDArray scores);

    /** Targets known before the pass (the scores are not read). */
    static TargetPicker fixed(int[] targets) {
        return scores -> targets;
    }
}
