package dev.vitex.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vitex.core.perturb.SobolDesign;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The estimators on a function whose indices are known in closed form. For
 * f(u) = u1 + 2·u2 + 3·u1·u3 with u ~ U[0,1)³: Var u = 1/12 and the ANOVA terms are
 * f1 = (1 + 1.5)(u1 − ½), f2 = 2(u2 − ½), f3 = 1.5(u3 − ½), f13 = 3(u1 − ½)(u3 − ½), so
 * V1 = 6.25/12, V2 = 4/12, V3 = 2.25/12, V13 = 9/144 and V = V1 + V2 + V3 + V13.
 */
class SobolIndicesTest {
    private static final double V1 = 6.25 / 12;
    private static final double V2 = 4.0 / 12;
    private static final double V3 = 2.25 / 12;
    private static final double V13 = 9.0 / 144;
    private static final double V = V1 + V2 + V3 + V13;

    private static double f(double u1, double u2, double u3) {
        return u1 + 2 * u2 + 3 * u1 * u3;
    }

    @Test
    void jansenEstimatorsMatchTheAnalyticIndices() {
        int k = 1 << 14;
        SobolDesign d = new SobolDesign(k, 3, new SplittableRandom(11));
        double[] fA = new double[k];
        double[] fB = new double[k];
        double[][] fC = new double[3][k];
        for (int r = 0; r < k; r++) {
            fA[r] = f(d.a(r, 0), d.a(r, 1), d.a(r, 2));
            fB[r] = f(d.b(r, 0), d.b(r, 1), d.b(r, 2));
            for (int j = 0; j < 3; j++) {
                double[] u = {d.a(r, 0), d.a(r, 1), d.a(r, 2)};
                u[j] = d.b(r, j);
                fC[j][r] = f(u[0], u[1], u[2]);
            }
        }
        double[] total = SobolIndices.totalOrderJansen(fA, fC);
        double[] first = SobolIndices.firstOrderSaltelli(fA, fB, fC);
        assertEquals((V1 + V13) / V, total[0], 0.01);
        assertEquals(V2 / V, total[1], 0.01);
        assertEquals((V3 + V13) / V, total[2], 0.01);
        assertEquals(V1 / V, first[0], 0.02);
        assertEquals(V2 / V, first[1], 0.02);
        assertEquals(V3 / V, first[2], 0.02);
    }

    @Test
    void aConstantModelHasZeroIndices() {
        double[] same = {1.5, 1.5, 1.5};
        double[] total = SobolIndices.totalOrderJansen(same, new double[][] {same, same});
        assertEquals(0.0, total[0]);
        assertEquals(0.0, total[1]);
    }
}
