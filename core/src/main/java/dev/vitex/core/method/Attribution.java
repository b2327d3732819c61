package dev.vitex.core.method;

import dev.vitex.core.grid.Granularity;
import dev.vitex.core.perturb.Baseline;

/**
 * What every method returns for one image and target: a grid of scores (float32, row-major,
 * {@code gridHeight × gridWidth} cells of {@code cellSize} pixels) and how it was obtained.
 *
 * @param params canonical JSON of the method's parameters, seed included for stochastic methods
 * @param targetScore f_c(x), the explained score of the unperturbed input under the inference mode
 * @param modelPasses model samples evaluated for this image and target (forward or forward+backward)
 * @param completenessGap Σ attributions − (f(x) − f(reference)) before channel and cell reduction, for
 *     methods with a completeness axiom (IntegratedGradients, KernelShap); {@code null} otherwise
 * @param baseline the method's baseline (mask methods' replacement, path methods' reference), {@link
 *     Baseline#ZERO} for methods without one; the quality metrics remove units to it, so a method is
 *     judged with the reference it was computed against
 */
public record Attribution(
        String method,
        String params,
        Granularity granularity,
        int gridHeight,
        int gridWidth,
        int cellSize,
        float[] scores,
        int target,
        float targetScore,
        long modelPasses,
        Double completenessGap,
        Baseline baseline) {

    public Attribution {
        if (baseline == null) {
            throw new IllegalArgumentException(method + ": baseline is required (Baseline.ZERO when the method has none)");
        }
        if (scores.length != gridHeight * gridWidth) {
            throw new IllegalArgumentException(method + ": " + scores.length + " scores for a "
                    + gridHeight + "×" + gridWidth + " grid");
        }
    }

    /**
     * An attribution whose baseline is not known (e.g. read back from the output table, where it is
     * part of {@code params}): {@link Baseline#ZERO}. Explainers always pass their own.
     */
    public Attribution(String method, String params, Granularity granularity, int gridHeight, int gridWidth, int cellSize,
            float[] scores, int target, float targetScore, long modelPasses, Double completenessGap) {
        this(method, params, granularity, gridHeight, gridWidth, cellSize, scores, target, targetScore, modelPasses,
                completenessGap, Baseline.ZERO);
    }

    /** Score of the unit at (row, col). */
    public float score(int row, int col) {
        return scores[row * gridWidth + col];
    }

    /** Index of the highest-scoring unit (the pointing game's pick). */
    public int argmax() {
        int best = 0;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
            }
        }
        return best;
    }
}
