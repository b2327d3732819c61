package dev.vitex.core.aggregate;

import java.util.Arrays;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.LUDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.RealVector;
import org.apache.commons.math3.linear.SingularMatrixException;

/**
 * Least squares under a sum constraint: {@code min Σ_i w_i (y_i − x_i·β)²} subject to
 * {@code Σ_j β_j = total}, without intercept. KernelSHAP's efficiency axiom is this constraint
 * (Lundberg & Lee 2017; Covert & Lee 2021): y_i = f(z_i) − f(nothing kept), total = f(x) − f(nothing
 * kept). Solved through the symmetric KKT system
 * <pre>
 *   [ XᵀWX  1 ] [β]   [XᵀWy ]
 *   [ 1ᵀ    0 ] [ν] = [total]
 * </pre>
 * which treats every unit alike (eliminating one unit instead would single it out).
 */
public final class ConstrainedLeastSquares {
    private ConstrainedLeastSquares() {}

    /** @throws IllegalStateException when the observations do not identify β under the constraint */
    public static double[] solve(NormalEquations eq, double total) {
        int p = eq.features();
        RealMatrix kkt = new Array2DRowRealMatrix(p + 1, p + 1);
        RealVector rhs = new ArrayRealVector(p + 1);
        for (int j = 0; j < p; j++) {
            for (int k = j; k < p; k++) {
                double v = eq.xx(j, k);
                kkt.setEntry(j, k, v);
                kkt.setEntry(k, j, v);
            }
            kkt.setEntry(j, p, 1.0);
            kkt.setEntry(p, j, 1.0);
            rhs.setEntry(j, eq.xy(j));
        }
        rhs.setEntry(p, total);
        double[] solution;
        try {
            solution = new LUDecomposition(kkt).getSolver().solve(rhs).toArray();
        } catch (SingularMatrixException e) {
            throw new IllegalStateException("the " + eq.count() + " observations do not identify all " + p
                    + " values under the sum constraint (singular design; use more samples)", e);
        }
        return Arrays.copyOf(solution, p);
    }
}
