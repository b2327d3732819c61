package dev.vitex.core.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.vitex.core.TestData;
import dev.vitex.core.TestModels;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.model.VitModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * models/test/additive-linear: logits[c] = Σ_j a[c,j]·S_j(x) + b[c], S_j the sum of the 3×8×8
 * input values of patch j (scripts/make_fixture_model.py). With the constant-0 baseline, removing
 * unit j sets S_j to 0, so f_c = Σ_j w_j [unit j kept] + b[c] with w_j = a[c,j]·S_j(x): an additive
 * game whose Shapley values are exactly w. The expected values are computed here from the weights
 * file and the input, never from Java method output.
 */
class AdditiveModelTest {
    private static final int TARGET = 2;

    private static double[] expectedContributions(float[] x, int target) {
        JsonObject weights = TestData.json(TestData.root().resolve("models/test/additive-linear-weights.json"));
        float[] a = TestData.floats(weights.get("a")); // 4 × 64, row-major
        double[] w = new double[64];
        for (int j = 0; j < 64; j++) {
            int row = j / 8;
            int col = j % 8;
            double s = 0;
            for (int c = 0; c < 3; c++) {
                for (int y = row * 8; y < row * 8 + 8; y++) {
                    for (int xx = col * 8; xx < col * 8 + 8; xx++) {
                        s += x[c * 4096 + y * 64 + xx];
                    }
                }
            }
            w[j] = a[target * 64 + j] * s;
        }
        return w;
    }

    private static Attribution explain(String method, Map<String, String> params, float[] x) {
        VitModel model = TestModels.testModel("additive-linear");
        Explainer e = Methods.create(method, params, model.card());
        ExplainContext ctx = TestModels.context(model, 64, Granularity.PATCH, 3);
        return e.explain(ctx, List.of(new ExplainItem(TestModels.key("additive"), x, new int[] {TARGET}))).get(0);
    }

    @Test
    void kernelShapReturnsTheExactContributionsWithEfficiency() {
        float[] x = TestModels.randomInput(21);
        double[] expected = expectedContributions(x, TARGET);
        Attribution shap = explain("kernel_shap", Map.of("n", "200"), x);
        double scale = 0;
        double expectedTotal = 0;
        double total = 0;
        for (int j = 0; j < 64; j++) {
            scale = Math.max(scale, Math.abs(expected[j]));
            expectedTotal += expected[j];
            total += shap.scores()[j];
        }
        double worst = 0;
        for (int j = 0; j < 64; j++) {
            worst = Math.max(worst, Math.abs(shap.scores()[j] - expected[j]));
        }
        System.out.printf("kernel_shap on additive-linear: max |A − w| = %.3g (max |w| = %.3g), gap %.3g, Σ A − Σ w = %.3g%n",
                worst, scale, shap.completenessGap(), total - expectedTotal);
        assertTrue(worst <= 1e-4 * Math.max(1, scale), "kernel_shap differs from the exact contributions by " + worst);
        assertNotNull(shap.completenessGap());
        assertTrue(Math.abs(shap.completenessGap()) <= 1e-4, "efficiency gap " + shap.completenessGap());
        assertTrue(Math.abs(total - expectedTotal) <= 1e-4 * Math.max(1, Math.abs(expectedTotal)) + 1e-4,
                "Σ A = " + total + " but f(x) − f(removed) = " + expectedTotal);
        assertEquals(202, shap.modelPasses());
    }

    @Test
    void limeRecoversTheContributions() {
        float[] x = TestModels.randomInput(22);
        double[] expected = expectedContributions(x, TARGET);
        Attribution lime = explain("lime", Map.of(), x);
        double r = pearson(expected, lime.scores());
        System.out.printf("lime on additive-linear: Pearson %.6f%n", r);
        assertTrue(r >= 0.99, "Pearson " + r);
        assertEquals(1000, lime.modelPasses());
    }

    static double pearson(double[] a, float[] b) {
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= a.length;
        mb /= a.length;
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < a.length; i++) {
            sab += (a[i] - ma) * (b[i] - mb);
            saa += (a[i] - ma) * (a[i] - ma);
            sbb += (b[i] - mb) * (b[i] - mb);
        }
        return sab / Math.sqrt(saa * sbb);
    }
}
