package dev.vitex.core.eval;

/** {@code count} model inputs of one image, all explained for class {@code target}. */
public record EvaluationRequest(int target, int count, SampleSource source, ResultSink sink) {
    public EvaluationRequest {
        if (count < 1) {
            throw new IllegalArgumentException("an evaluation request needs ≥ 1 sample, got " + count);
        }
    }
}
