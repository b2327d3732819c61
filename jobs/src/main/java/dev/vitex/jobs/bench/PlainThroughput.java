package dev.vitex.jobs.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vitex.core.model.InferenceMode;
import dev.vitex.core.model.VitModel;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The peer every method is compared with: plain batched inference on the same model, batch size
 * and threads — no-grad forward passes, and forward + backward passes (per-sample input gradients).
 */
final class PlainThroughput {
    record Result(double forwardPassesPerSecond, double backwardPassesPerSecond) {}

    /** Forward-only ({@code withGradients = false}) or forward+backward passes per second. */
    static double measure(VitModel model, int batchSize, double seconds, boolean withGradients) {
        Result r = measure(model, batchSize, seconds, withGradients ? Kind.BACKWARD : Kind.FORWARD);
        return withGradients ? r.backwardPassesPerSecond() : r.forwardPassesPerSecond();
    }

    private enum Kind { FORWARD, BACKWARD, BOTH }

    static Result measure(VitModel model, int batchSize, double seconds) {
        return measure(model, batchSize, seconds, Kind.BOTH);
    }

    private static Result measure(VitModel model, int batchSize, double seconds, Kind kind) {
        var card = model.card();
        float[] data = new float[batchSize * card.channels() * card.inputHeight() * card.inputWidth()];
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) rng.nextGaussian();
        }
        Shape shape = new Shape(batchSize, card.channels(), card.inputHeight(), card.inputWidth());
        int[] targets = new int[batchSize];
        Arrays.fill(targets, 0);
        // Like the evaluator, each batch copies its input in and its results out, in its own scope.
        Rate forward = kind == Kind.BACKWARD ? new Rate(Double.NaN, 1) : Rate.measure(() -> {
            try (NDManager scope = model.newScope()) {
                NDArray x = scope.create(data, shape);
                model.targetScores(x, targets, InferenceMode.LOGITS).toFloatArray();
            }
            return batchSize;
        }, seconds, 3);
        Rate backward = kind == Kind.FORWARD ? new Rate(Double.NaN, 1) : Rate.measure(() -> {
            try (NDManager scope = model.newScope()) {
                NDArray x = scope.create(data, shape);
                model.targetScoresWithGradients(x, targets, InferenceMode.LOGITS).gradients().toFloatArray();
            }
            return batchSize;
        }, seconds, 3);
        return new Result(forward.perSecond(), backward.perSecond());
    }

    private PlainThroughput() {}
}
