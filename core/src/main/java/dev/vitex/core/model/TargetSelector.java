package dev.vitex.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One no-grad forward pass per image, batched: every class's score, hence the prediction and top-k. */
public final class TargetSelector {
    private final VitModel model;
    private final InferenceMode mode;
    private final int batchSize;

    public TargetSelector(VitModel model, InferenceMode mode, int batchSize) {
        this.model = model;
        this.mode = mode;
        this.batchSize = batchSize;
    }

    /** Scores of every class for one image, under the inference mode. */
    public record ClassScores(float[] scores) {
        public int predicted() {
            return top(1)[0];
        }

        /** One {@code ClassScores} per row of {@code scores}, shape (N, classes), copied out of the engine. */
        public static List<ClassScores> rows(NDArray scores) {
            int classes = (int) scores.getShape().get(1);
            float[] flat = scores.toFloatArray();
            List<ClassScores> out = new ArrayList<>(flat.length / classes);
            for (int i = 0; i < flat.length / classes; i++) {
                out.add(new ClassScores(Arrays.copyOfRange(flat, i * classes, (i + 1) * classes)));
            }
            return out;
        }

        public float score(int c) {
            return scores[c];
        }

        /** The k best classes, best first (ties: lower index first). */
        public int[] top(int k) {
            int n = Math.min(k, scores.length);
            Integer[] order = new Integer[scores.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Float.compare(scores[b], scores[a]) != 0
                    ? Float.compare(scores[b], scores[a]) : Integer.compare(a, b));
            int[] out = new int[n];
            for (int i = 0; i < n; i++) {
                out[i] = order[i];
            }
            return out;
        }
    }

    public List<ClassScores> classScores(List<float[]> inputs) {
        int c = model.card().channels();
        int h = model.card().inputHeight();
        int w = model.card().inputWidth();
        List<ClassScores> out = new ArrayList<>(inputs.size());
        for (int start = 0; start < inputs.size(); start += batchSize) {
            int end = Math.min(inputs.size(), start + batchSize);
            float[] flat = new float[(end - start) * c * h * w];
            for (int i = start; i < end; i++) {
                System.arraycopy(inputs.get(i), 0, flat, (i - start) * c * h * w, c * h * w);
            }
            try (NDManager scope = model.newScope()) {
                NDArray batch = EngineArrays.floats(scope, flat, new Shape(end - start, c, h, w));
                out.addAll(ClassScores.rows(model.scores(batch, mode)));
            }
        }
        return out;
    }
}
