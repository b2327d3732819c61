package dev.vitex.core.method;

import dev.vitex.core.grid.Granularity;

/**
 * What every method returns for one image and target: a grid of scores (float32, row-major,
 * {@code gridHeight × gridWidth} cells of {@code cellSize} pixels) and how it was obtained.
 *
 * @param params canonical JSON of the method's parameters, seed included for stochastic methods
 * @param targetScore f_c(x), the explained score of the unperturbed input under the inference mode
 * @param modelPasses model samples evaluated for this image and target (forward or forward+backward)
 * @param completenessGap Σ attributions − (f(x) − f(reference)) before channel and cell reduction, for
 *     methods with a completeness axiom (IntegratedGradients, KernelShap); {@code null} otherwise
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
        Double completenessGap) {

    public Attribution {
        if (scores.length != gridHeight * gridWidth) {
            throw new IllegalArgumentException(method + ": " + scores.length + " scores for a "
                    + gridHeight + "×" + gridWidth + " grid");
        }
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
