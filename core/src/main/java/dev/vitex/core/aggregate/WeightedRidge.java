package dev.vitex.core.aggregate;

import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.linear.SingularMatrixException;

/**
 * Weighted ridge regression with an unpenalised intercept:
 * {@code min Σ_i w_i (y_i − β₀ − x_i·β)² + λ ‖β‖²}. This is what LIME fits (scikit-learn's
 * {@code Ridge(alpha=λ, fit_intercept=True)} with {@code sample_weight}): the data are centred
 * on their weighted means, so the intercept absorbs the mean and only the coefficients shrink.
 */
public final class WeightedRidge {
    private WeightedRidge() {}

    /** @throws IllegalStateException when λ = 0 and the design does not identify the coefficients */
    public static LinearFit solve(NormalEquations eq, double lambda) {
        if (!(lambda >= 0)) {
            throw new IllegalArgumentException("ridge λ must be ≥ 0, got " + lambda);
        }
        int p = eq.features();
        double sw = eq.weight();
        if (!(sw > 0)) {
            throw new IllegalStateException("ridge regression without positive weights (Σw = " + sw + ")");
        }
        double[] mean = new double[p];
        for (int j = 0; j < p; j++) {
            mean[j] = eq.x(j) / sw;
        }
        double meanY = eq.y() / sw;
        // Centred weighted Gram: Σw (x − x̄)(x − x̄)ᵀ = Σw x xᵀ − Σw · x̄ x̄ᵀ.
        RealMatrix gram = new Array2DRowRealMatrix(p, p);
        RealVector rhs = new ArrayRealVector(p);
        for (int j = 0; j < p; j++) {
            for (int k = j; k < p; k++) {
                double v = eq.xx(j, k) - sw * mean[j] * mean[k];
                gram.setEntry(j, k, v);
                gram.setEntry(k, j, v);
            }
            gram.addToEntry(j, j, lambda);
            rhs.setEntry(j, eq.xy(j) - sw * mean[j] * meanY);
        }
        double[] beta;
        try {
            beta = new LUDecomposition(gram).getSolver().solve(rhs).toArray();
        } catch (SingularMatrixException e) {
            throw new IllegalStateException("the regression does not identify all " + p
                    + " coefficients (singular design; use more samples or a ridge penalty > 0)", e);
        }
        double intercept = meanY;
        for (int j = 0; j < p; j++) {
            intercept -= mean[j] * beta[j];
        }
        return new LinearFit(intercept, beta);
    }
}
