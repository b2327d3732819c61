package dev.vitex.core.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitex.core.TestData;
import dev.vitex.core.TestModels;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.model.VitModel;
import dev.vitex.core.perturb.SeedSequence;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * GradientShap's formula {@code mean_i ∇f_c(b_i + α_i (x − b_i)) ⊙ (x − b_i)}, {@code b_i = b + σ ε_i},
 * on the analytic test models, in closed form: additive-linear has the constant gradient
 * {@code a[c, patch(p)]} (so α drops out), single-cell's score is quadratic in its patch mean m (so
 * α enters linearly). Expected values come from the weights file, the input and methods.md's
 * seeding rule, never from method output.
 */
class GradientShapTest {
    private static final long SEED = 5;

    private static float[] weights(int target) {
        float[] a = TestData.floats(TestData.json(TestData.root().resolve("models/test/additive-linear-weights.json")).get("a"));
        float[] row = new float[64];
        System.arraycopy(a, target * 64, row, 0, 64);
        return row;
    }

    private static Attribution explain(String model, Map<String, String> params, Granularity granularity, float[] x,
            String key, int target) {
        VitModel m = TestModels.testModel(model);
        return Methods.create("gradient_shap", params, m.card())
                .explain(TestModels.context(m, 64, granularity, SEED), List.of(new ExplainItem(key, x, new int[] {target})))
                .get(0);
    }

    /** σ = 0: every sample's gradient is a[c, j], so A(p) = Σ_ch a[c, j(p)] (x − b_ch) exactly, whatever the α. */
    @Test
    void noiselessMapIsWeightTimesInputMinusBaseline() {
        int target = 1;
        float[] a = weights(target);
        float[] x = TestModels.randomInput(31);
        double[] b = {0.25, -0.5, 0.75};
        Attribution out = explain("additive-linear", Map.of("n", "7", "noise_std", "0", "baseline", "[0.25,-0.5,0.75]",
                "channel_reduce", "sum"), Granularity.PIXEL, x, TestModels.key("gshap-additive"), target);
        float[] expected = new float[64 * 64];
        for (int y = 0; y < 64; y++) {
            for (int xx = 0; xx < 64; xx++) {
                double v = 0;
                for (int c = 0; c < 3; c++) {
                    v += a[(y / 8) * 8 + xx / 8] * (x[c * 4096 + y * 64 + xx] - b[c]);
                }
                expected[y * 64 + xx] = (float) v;
            }
        }
        float diff = TestData.maxAbsDiff(expected, out.scores());
        System.out.printf("gradient_shap σ=0 on additive-linear: max |diff| %.3g (max |A| %.3g)%n", diff, TestData.maxAbs(expected));
        assertTrue(diff <= 1e-6 * TestData.maxAbs(expected), "diff " + diff);
        assertEquals(7 + 2, out.modelPasses(), "n gradient samples + f(x) and f(b)");
    }

    /**
     * σ > 0: patch j's mean is a_j (mean(x) − b − σ ē_j), ē_j the mean of n·192 standard normals, so the
     * standardised residuals (A_j − a_j (mean(x) − b)) / (|a_j| σ / √(192 n)) are 64 draws of N(0, 1).
     */
    @Test
    void noisyBaselinesAverageOutAtTheExpectedRate() {
        int target = 2;
        int n = 200;
        double sigma = 0.1;
        float[] a = weights(target);
        float[] x = TestModels.randomInput(32);
        Attribution out = explain("additive-linear", Map.of("n", Integer.toString(n), "noise_std", Double.toString(sigma)),
                Granularity.PATCH, x, TestModels.key("gshap-noisy"), target);
        double sumSquares = 0;
        double worst = 0;
        for (int j = 0; j < 64; j++) {
            double mean = 0;
            for (int c = 0; c < 3; c++) {
                for (int y = (j / 8) * 8; y < (j / 8) * 8 + 8; y++) {
                    for (int xx = (j % 8) * 8; xx < (j % 8) * 8 + 8; xx++) {
                        mean += x[c * 4096 + y * 64 + xx];
                    }
                }
            }
            mean /= 192;
            double z = (out.scores()[j] - a[j] * mean) / (Math.abs(a[j]) * sigma / Math.sqrt(192.0 * n));
            sumSquares += z * z;
            worst = Math.max(worst, Math.abs(z));
        }
        double rms = Math.sqrt(sumSquares / 64);
        System.out.printf("gradient_shap σ=%.2f n=%d: standardised residuals rms %.3f, max %.3f%n", sigma, n, rms, worst);
        assertTrue(worst < 5, "a patch is " + worst + " standard errors off");
        assertTrue(rms > 0.7 && rms < 1.3, "residual rms " + rms + " (the noise is not N(0, σ²) per sample)");
    }

    /**
     * single-cell, target 3: f = 3m² + 0.05, m the mean of patch 21. With σ = 0 and b = 0, z_i = α_i x, so
     * Σ A = mean_i 2·3·α_i m · m = 6 ᾱ m². ᾱ is computed here from methods.md § Seeding (stream i of
     * the sequence derived for "gradient_shap-alpha"), and must look like a mean of n U[0, 1) draws.
     */
    @Test
    void alphaComesFromItsOwnDerivedStreams() {
        int n = 1000;
        String key = TestModels.key("gshap-alpha");
        float[] x = TestModels.randomInput(33);
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.5f + 0.5f * x[i];
        }
        double m = 0;
        for (int c = 0; c < 3; c++) {
            for (int y = 16; y < 24; y++) {
                for (int xx = 40; xx < 48; xx++) {
                    m += x[c * 4096 + y * 64 + xx];
                }
            }
        }
        m /= 192;
        Attribution out = explain("single-cell", Map.of("n", Integer.toString(n), "noise_std", "0", "channel_reduce", "sum"),
                Granularity.PIXEL, x, key, 3);
        double total = 0;
        for (float v : out.scores()) {
            total += v;
        }
        SeedSequence alphas = SeedSequence.of(SEED, key, "gradient_shap").derive("gradient_shap-alpha");
        SeedSequence noise = SeedSequence.of(SEED, key, "gradient_shap");
        double alphaMean = 0;
        for (int i = 0; i < n; i++) {
            SplittableRandom stream = alphas.sample(i);
            double alpha = stream.nextDouble();
            alphaMean += alpha;
            assertTrue(alpha != noise.sample(i).nextDouble(), "α_" + i + " repeats the noise stream");
        }
        alphaMean /= n;
        double recovered = total / (6 * m * m);
        System.out.printf("gradient_shap on single-cell: ᾱ from Σ A %.6f, from the documented streams %.6f%n",
                recovered, alphaMean);
        assertEquals(alphaMean, recovered, 1e-4);
        assertEquals(0.5, recovered, 5 * Math.sqrt(1.0 / (12 * n)), "ᾱ is not the mean of U[0, 1) draws");
    }
}
