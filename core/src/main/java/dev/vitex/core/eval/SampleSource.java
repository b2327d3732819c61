package dev.vitex.core.eval;

import ai.djl.ndarray.NDManager;

/**
 * Produces the model inputs {@code [from, to)} of one evaluation request, shape (to − from, C, H, W),
 * allocated in {@code scope} (the batch's manager, closed right after the batch). Sample i must not
 * depend on which batch it lands in.
 */
@FunctionalInterface
public interface SampleSource {
    Samples make(NDManager scope, int from, int to);
}
