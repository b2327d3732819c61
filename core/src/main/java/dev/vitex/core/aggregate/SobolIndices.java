package dev.vitex.core.aggregate;

/**
 * Sobol' sensitivity indices from a Saltelli design: scores f_A and f_B of the two sample
 * matrices (k designs each) and f_Cj of A with column j taken from B.
 *
 * <p>Both estimators divide by the unbiased variance of f_A, as interpreto does. When f_A does
 * not vary (the model ignores every perturbation) no unit explains any variance and all indices
 * are 0, rather than 0/0.
 */
public final class SobolIndices {
    private SobolIndices() {}

    /**
     * Total order, Jansen (1999): {@code S_T,j = mean_r (f_A − f_Cj)² / (2 Var f_A)}. f_A and f_Cj
     * differ only in unit j, so the mean squared difference is twice the variance left when all
     * other units are fixed.
     *
     * @param fC g × k: fC[j][r] = f(C_j row r)
     */
    public static double[] totalOrderJansen(double[] fA, double[][] fC) {
        double var = variance(fA);
        double[] out = new double[fC.length];
        if (var <= 0) {
            return out;
        }
        for (int j = 0; j < fC.length; j++) {
            out[j] = meanSquaredDifference(fA, fC[j]) / (2 * var);
        }
        return out;
    }

    /**
     * First order, Saltelli et al. (2010, their recommended estimator):
     * {@code S_j = mean_r f_B (f_Cj − f_A) / Var f_A}. f_B and f_Cj share only unit j, so their
     * covariance is the variance unit j explains alone; f_A is subtracted to cancel the mean. We
     * prefer it to the Jansen first-order form interpreto uses, {@code (Var − mean (f_B − f_Cj)²/2)
     * / Var}: when the model ignores unit j, f_Cj = f_A exactly and Saltelli's estimate is exactly
     * 0, whereas Jansen's is Var's sampling error (±0.3 with 32 designs).
     */
    public static double[] firstOrderSaltelli(double[] fA, double[] fB, double[][] fC) {
        double var = variance(fA);
        double[] out = new double[fC.length];
        if (var <= 0) {
            return out;
        }
        for (int j = 0; j < fC.length; j++) {
            double s = 0;
            for (int r = 0; r < fA.length; r++) {
                s += fB[r] * (fC[j][r] - fA[r]);
            }
            out[j] = s / fA.length / var;
        }
        return out;
    }

    /** Unbiased variance (divisor k − 1). */
    public static double variance(double[] v) {
        if (v.length < 2) {
            throw new IllegalArgumentException("a variance needs ≥ 2 values, got " + v.length);
        }
        double mean = 0;
        for (double d : v) {
            mean += d;
        }
        mean /= v.length;
        double ss = 0;
        for (double d : v) {
            ss += (d - mean) * (d - mean);
        }
        return ss / (v.length - 1);
    }

    private static double meanSquaredDifference(double[] a, double[] b) {
        double s = 0;
        for (int r = 0; r < a.length; r++) {
            double d = a[r] - b[r];
            s += d * d;
        }
        return s / a.length;
    }
}
