package dev.vitex.core.method;

import dev.vitex.core.eval.BatchEvaluator;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.model.InferenceMode;
import dev.vitex.core.model.VitModel;

/**
 * Everything a method needs besides its own parameters: the model, how scores are read, how many
 * inputs go into one model batch, the output granularity and the run seed.
 */
public record ExplainContext(VitModel model, InferenceMode mode, int batchSize, Granularity granularity, long seed) {
    public ExplainContext {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch_size must be ≥ 1, got " + batchSize);
        }
    }

    /** The same context with another model batch size (the out-of-memory back-off). */
    public ExplainContext withBatchSize(int size) {
        return size == batchSize ? this : new ExplainContext(model, mode, size, granularity, seed);
    }

    public BatchEvaluator evaluator() {
        return new BatchEvaluator(model, mode, batchSize);
    }

    public int inputHeight() {
        return model.card().inputHeight();
    }

    public int inputWidth() {
        return model.card().inputWidth();
    }

    public int channels() {
        return model.card().channels();
    }
}
