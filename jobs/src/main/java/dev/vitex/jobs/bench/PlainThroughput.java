package dev.vitex.jobs.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vitex.core.model.EngineArrays;
import dev.vitex.core.model.InferenceMode;
import dev.vitex.core.model.VitModel;
import java.util.SplittableRandom;

/**
 * The peer every method is compared with: plain batched inference on the same model, batch size
 * and threads — no-grad forward passes, and forward + backward passes (per-sample input gradients).
 */
public final class PlainThroughput {
    public record Result(double forwardPassesPerSecond, double backwardPassesPerSecond) {}

    /** Both kinds, each after one untimed warm-up batch, at least three batches each. */
    public static Result measure(VitModel model, int batchSize, double seconds) {
        Input in = new Input(model, batchSize);
        return new Result(Rate.measure(in::forward, seconds, 3).perSecond(), Rate.measure(in::backward, seconds, 3).perSecond());
    }

    /** One batch of random inputs, made once and reused by every measurement on it; targets class 0. */
    static final class Input {
        private final VitModel model;
        private final int batchSize;
        private final float[] data;
        private final Shape shape;
        private final int[] targets;

        Input(VitModel model, int batchSize) {
            this.model = model;
            this.batchSize = batchSize;
            var card = model.card();
            this.data = new float[batchSize * card.channels() * card.inputHeight() * card.inputWidth()];
            SplittableRandom rng = new SplittableRandom(1);
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) rng.nextGaussian();
            }
            this.shape = new Shape(batchSize, card.channels(), card.inputHeight(), card.inputWidth());
            this.targets = new int[batchSize];
        }

        /**
         * Forward-only ({@code withGradients = false}) or forward+backward passes in {@code seconds}
         * or more (at least one batch), without a warm-up: for interleaving with a method on a warm model.
         */
        Rate rate(double seconds, boolean withGradients) {
            return Rate.measureCold(withGradients ? this::backward : this::forward, seconds, 1);
        }

        // Like the evaluator, each batch copies its input in and its results out, in its own scope.
        long forward() {
            try (NDManager scope = model.newScope()) {
                NDArray x = EngineArrays.floats(scope, data, shape);
                model.targetScores(x, targets, InferenceMode.LOGITS).toFloatArray();
            }
            return batchSize;
        }

        long backward() {
            try (NDManager scope = model.newScope()) {
                NDArray x = EngineArrays.floats(scope, data, shape);
                model.targetScoresWithGradients(x, targets, InferenceMode.LOGITS).gradients().toFloatArray();
            }
            return batchSize;
        }
    }

    private PlainThroughput() {}
}
