package dev.vitex.core.perturb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The LIME and KernelSHAP samplers against their definitions (frequencies with binomial tolerances). */
class MaskSamplersTest {
    private static final SeedSequence SEEDS = SeedSequence.of(7, "image", "test");

    @Test
    void randomMasksRemoveEachUnitWithProbabilityP() {
        int g = 64;
        int n = 4000;
        double p = 0.3;
        RandomMaskSampler sampler = new RandomMaskSampler(SEEDS, g, p);
        float[] mask = new float[g];
        long removed = 0;
        for (int i = 0; i < n; i++) {
            sampler.fill(i, mask);
            for (float v : mask) {
                assertTrue(v == 0f || v == 1f);
                removed += (long) v;
            }
        }
        double rate = (double) removed / (n * g);
        double sd = Math.sqrt(p * (1 - p) / (n * g));
        assertEquals(p, rate, 5 * sd, "removal rate");
        // Sample i is a function of i alone.
        float[] again = new float[g];
        sampler.fill(17, mask);
        new RandomMaskSampler(SEEDS, g, p).fill(17, again);
        assertArrayEquals(mask, again);
    }

    /** Kernel weight of the class with small side s (sizes s and g − s), normalised — written out from the definition. */
    private static double[] classWeights(int g) {
        double[] w = new double[g / 2 + 1];
        double total = 0;
        for (int s = 1; s <= g / 2; s++) {
            w[s] = (g - 1.0) / (s * (double) (g - s)) * (2 * s == g ? 1 : 2);
            total += w[s];
        }
        for (int s = 1; s <= g / 2; s++) {
            w[s] /= total;
        }
        return w;
    }

    private static int removed(float[] mask) {
        int k = 0;
        for (float v : mask) {
            k += (int) v;
        }
        return k;
    }

    @Test
    void singletonsComeFirstThenComplementPairsFromTheRemainingClasses() {
        int g = 16;
        int n = 20_000;
        ShapleyCoalitionSampler sampler = new ShapleyCoalitionSampler(SEEDS, g, n);
        assertEquals(n, sampler.count());
        int full = sampler.fullClasses();
        assertTrue(full >= 1 && full < g / 2, "enumerated classes " + full);
        double[] w = classWeights(g);
        float[] a = new float[g];
        float[] b = new float[g];
        // The enumerated classes: all C(g, s) subsets and their complements, each with weight w_s / (2 C(g, s)).
        int i = 0;
        double enumeratedWeight = 0;
        for (int s = 1; s <= full; s++) {
            java.util.Set<String> seen = new java.util.HashSet<>();
            long subsets = binomial(g, s);
            for (long r = 0; r < subsets; r++, i += 2) {
                sampler.fill(i, a);
                sampler.fill(i + 1, b);
                assertEquals(s, removed(a));
                for (int j = 0; j < g; j++) {
                    assertEquals(1f, a[j] + b[j]);
                }
                assertTrue(seen.add(Arrays.toString(a)), "subset repeated");
                assertEquals(w[s] / (2 * subsets), sampler.weight(i), 1e-15);
                enumeratedWeight += sampler.weight(i) + sampler.weight(i + 1);
            }
        }
        // The rest: antithetic pairs, class frequencies ∝ the kernel weights of the remaining classes.
        long[] counts = new long[g / 2 + 1];
        int pairs = 0;
        double randomWeight = 0;
        for (; i + 1 < n; i += 2, pairs++) {
            sampler.fill(i, a);
            sampler.fill(i + 1, b);
            int k = removed(a);
            for (int j = 0; j < g; j++) {
                assertEquals(1f, a[j] + b[j], "sample " + (i + 1) + " is the complement of " + i);
            }
            int cls = Math.min(k, g - k);
            assertTrue(cls > full, "class " + cls + " was enumerated already");
            counts[cls]++;
            randomWeight += sampler.weight(i) + sampler.weight(i + 1);
        }
        assertEquals(1.0, enumeratedWeight + randomWeight, 1e-9, "weights sum to 1");
        double rest = 0;
        for (int s = full + 1; s <= g / 2; s++) {
            rest += w[s];
        }
        for (int s = full + 1; s <= g / 2; s++) {
            double p = w[s] / rest;
            double sd = Math.sqrt(p * (1 - p) / pairs);
            assertEquals(p, (double) counts[s] / pairs, 5 * sd + 1e-4, "frequency of class " + s);
        }
    }

    @Test
    void theFirstClassIsAlwaysWholeSoEveryUnitIsIdentified() {
        int g = 64;
        ShapleyCoalitionSampler sampler = new ShapleyCoalitionSampler(SEEDS, g, 2 * g);
        float[] mask = new float[g];
        boolean[] alone = new boolean[g];
        for (int i = 0; i < 2 * g; i += 2) {
            sampler.fill(i, mask);
            assertEquals(1, removed(mask));
            for (int j = 0; j < g; j++) {
                alone[j] |= mask[j] == 1f;
            }
        }
        for (boolean b : alone) {
            assertTrue(b);
        }
    }

    /**
     * When the budget covers every coalition, the weighted regression under the efficiency
     * constraint is the Shapley value exactly — checked on a game with interactions against the
     * Shapley formula φ_j = Σ_S |S|! (g − |S| − 1)! / g! · (v(S ∪ j) − v(S)).
     */
    @Test
    void completeEnumerationGivesExactShapleyValues() {
        int g = 5;
        ShapleyCoalitionSampler sampler = new ShapleyCoalitionSampler(SEEDS, g, 1000);
        assertEquals((1 << g) - 2, sampler.count(), "every coalition but the empty and full ones, once");
        java.util.function.IntToDoubleFunction v = kept -> { // kept units as a bit set
            double sum = 0;
            for (int j = 0; j < g; j++) {
                if ((kept >> j & 1) == 1) {
                    sum += 0.5 + j;
                }
            }
            double interaction = (kept & 0b00011) == 0b00011 ? 3.0 : 0.0;
            return sum * sum / 7 + interaction - ((kept & 0b10100) == 0b10100 ? 1.25 : 0);
        };
        dev.vitex.core.aggregate.NormalEquations eq = new dev.vitex.core.aggregate.NormalEquations(g);
        float[] mask = new float[g];
        float[] kept = new float[g];
        for (int i = 0; i < sampler.count(); i++) {
            sampler.fill(i, mask);
            int bits = 0;
            for (int j = 0; j < g; j++) {
                kept[j] = 1f - mask[j];
                bits |= (int) kept[j] << j;
            }
            eq.add(kept, v.applyAsDouble(bits) - v.applyAsDouble(0), sampler.weight(i));
        }
        double[] phi = dev.vitex.core.aggregate.ConstrainedLeastSquares.solve(eq,
                v.applyAsDouble((1 << g) - 1) - v.applyAsDouble(0));
        for (int j = 0; j < g; j++) {
            double exact = 0;
            for (int set = 0; set < 1 << g; set++) {
                if ((set >> j & 1) == 0) {
                    int size = Integer.bitCount(set);
                    exact += factorial(size) * factorial(g - size - 1) / factorial(g)
                            * (v.applyAsDouble(set | 1 << j) - v.applyAsDouble(set));
                }
            }
            assertEquals(exact, phi[j], 1e-10, "unit " + j);
        }
    }

    private static double factorial(int k) {
        double f = 1;
        for (int i = 2; i <= k; i++) {
            f *= i;
        }
        return f;
    }

    private static long binomial(int n, int k) {
        long c = 1;
        for (int i = 1; i <= k; i++) {
            c = c * (n - k + i) / i;
        }
        return c;
    }
}
