package dev.vitex.core.eval;

import dev.vitex.core.model.TargetSelector.ClassScores;
import java.util.function.ToIntFunction;

/**
 * {@code count} model inputs of one image, all explained for class {@code target} — or, with a
 * {@code choice}, for the class it picks from every class's scores of the request's sample 0 in the
 * forward + backward pass that evaluates it (then {@code target} is −1; gradient runs only).
 */
public record EvaluationRequest(int target, int count, SampleSource source, ResultSink sink,
                                ToIntFunction<ClassScores> choice) {
    public EvaluationRequest {
        if (count < 1) {
            throw new IllegalArgumentException("an evaluation request needs ≥ 1 sample, got " + count);
        }
        if ((choice == null) == (target < 0)) {
            throw new IllegalArgumentException("an evaluation request needs either a target ≥ 0 or a choice, got target "
                    + target + (choice == null ? " and no choice" : " and a choice"));
        }
    }

    /** A request for a known target. */
    public EvaluationRequest(int target, int count, SampleSource source, ResultSink sink) {
        this(target, count, source, sink, null);
    }

    /** A request whose target {@code choice} picks from the class scores of its sample 0, in the pass. */
    public static EvaluationRequest choosing(ToIntFunction<ClassScores> choice, int count, SampleSource source,
                                             ResultSink sink) {
        return new EvaluationRequest(-1, count, source, sink, choice);
    }

    public boolean choosesTarget() {
        return choice != null;
    }
}
