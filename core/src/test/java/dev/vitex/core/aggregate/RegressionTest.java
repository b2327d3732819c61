package dev.vitex.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Ridge and constrained least squares against closed forms worked out by hand. */
class RegressionTest {

    @Test
    void ridgeWithoutPenaltyRecoversAnExactLinearModel() {
        SplittableRandom rng = new SplittableRandom(5);
        double[] beta = {0.5, -1.25, 2.0, 0.0, 3.5};
        NormalEquations eq = new NormalEquations(beta.length);
        for (int i = 0; i < 200; i++) {
            float[] x = new float[beta.length];
            double y = 0.75;
            for (int j = 0; j < x.length; j++) {
                x[j] = rng.nextBoolean() ? 1f : 0f;
                y += beta[j] * x[j];
            }
            eq.add(x, y, 0.1 + rng.nextDouble());
        }
        LinearFit fit = WeightedRidge.solve(eq, 0.0);
        assertEquals(0.75, fit.intercept(), 1e-9);
        for (int j = 0; j < beta.length; j++) {
            assertEquals(beta[j], fit.coefficients()[j], 1e-9);
        }
    }

    @Test
    void ridgePenalisesTheSlopeButNotTheIntercept() {
        // One feature: β = Σw(x − x̄)(y − ȳ) / (Σw(x − x̄)² + λ), β₀ = ȳ − β x̄ (weighted means).
        double[] x = {0, 1, 1, 0, 1};
        double[] y = {1.0, 3.0, 2.5, 0.5, 4.0};
        double[] w = {1.0, 0.5, 2.0, 1.5, 1.0};
        double lambda = 1.0;
        NormalEquations eq = new NormalEquations(1);
        double sw = 0;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < x.length; i++) {
            eq.add(new float[] {(float) x[i]}, y[i], w[i]);
            sw += w[i];
            mx += w[i] * x[i];
            my += w[i] * y[i];
        }
        mx /= sw;
        my /= sw;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += w[i] * (x[i] - mx) * (y[i] - my);
            sxx += w[i] * (x[i] - mx) * (x[i] - mx);
        }
        double slope = sxy / (sxx + lambda);
        LinearFit fit = WeightedRidge.solve(eq, lambda);
        assertEquals(slope, fit.coefficients()[0], 1e-12);
        assertEquals(my - slope * mx, fit.intercept(), 1e-12);
    }

    @Test
    void constrainedLeastSquaresProjectsOntoTheSumConstraint() {
        // Observations y1 = b1, y2 = b2 (unit vectors); with b1 + b2 = T the minimiser splits the
        // excess evenly: b_j = y_j + (T − y1 − y2) / 2.
        NormalEquations eq = new NormalEquations(2);
        eq.add(new float[] {1, 0}, 3.0, 1);
        eq.add(new float[] {0, 1}, -1.0, 1);
        double[] b = ConstrainedLeastSquares.solve(eq, 5.0);
        assertEquals(3.0 + 1.5, b[0], 1e-12);
        assertEquals(-1.0 + 1.5, b[1], 1e-12);
    }

    @Test
    void constrainedLeastSquaresIsExactOnAnAdditiveGame() {
        SplittableRandom rng = new SplittableRandom(9);
        double[] phi = {1.0, -2.0, 0.5, 4.0, -0.25, 0.0};
        double total = 0;
        for (double v : phi) {
            total += v;
        }
        NormalEquations eq = new NormalEquations(phi.length);
        for (int i = 0; i < 30; i++) {
            float[] z = new float[phi.length];
            double y = 0;
            for (int j = 0; j < z.length; j++) {
                z[j] = rng.nextBoolean() ? 1f : 0f;
                y += phi[j] * z[j];
            }
            eq.add(z, y, 1);
        }
        double[] got = ConstrainedLeastSquares.solve(eq, total);
        for (int j = 0; j < phi.length; j++) {
            assertEquals(phi[j], got[j], 1e-10);
        }
    }

    @Test
    void underdeterminedSystemsAreReported() {
        NormalEquations eq = new NormalEquations(3);
        eq.add(new float[] {1, 1, 0}, 1.0, 1);
        assertThrows(IllegalStateException.class, () -> ConstrainedLeastSquares.solve(eq, 1.0));
        assertThrows(IllegalStateException.class, () -> WeightedRidge.solve(eq, 0.0));
    }
}
