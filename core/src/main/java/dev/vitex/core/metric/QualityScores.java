package dev.vitex.core.metric;

/**
 * Deletion and insertion results for one attribution: AUCs over the fraction of units in [0, 1],
 * and the curves themselves (the target's softmax probability at each fraction).
 */
public record QualityScores(double deletionAuc, double insertionAuc, double[] fractions,
                            float[] deletionCurve, float[] insertionCurve) {
    public QualityScores {
        fractions = fractions.clone();
        deletionCurve = deletionCurve.clone();
        insertionCurve = insertionCurve.clone();
    }

    /** Model passes spent: both curves, steps + 1 points each. */
    public long modelPasses() {
        return 2L * fractions.length;
    }

    @Override
    public double[] fractions() {
        return fractions.clone();
    }

    @Override
    public float[] deletionCurve() {
        return deletionCurve.clone();
    }

    @Override
    public float[] insertionCurve() {
        return insertionCurve.clone();
    }
}
