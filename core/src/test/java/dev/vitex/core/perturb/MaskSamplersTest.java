package dev.vitex.core.perturb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    @Test
    void coalitionsComeInComplementPairsWithShapleyKernelSizes() {
        int g = 16;
        int pairs = 20_000;
        ShapleyCoalitionSampler sampler = new ShapleyCoalitionSampler(SEEDS, g);
        long[] sizeCounts = new long[g + 1];
        float[] a = new float[g];
        float[] b = new float[g];
        for (int m = 0; m < pairs; m++) {
            sampler.fill(2L * m, a);
            sampler.fill(2L * m + 1, b);
            int k = 0;
            for (int j = 0; j < g; j++) {
                assertEquals(1f, a[j] + b[j], "sample " + (2 * m + 1) + " is the complement of " + 2 * m);
                k += (int) a[j];
            }
            assertTrue(k >= 1 && k <= g - 1, "size " + k + " outside 1..g−1");
            sizeCounts[k]++;
        }
        // Expected P(k) ∝ (g − 1) / (k (g − k)), written out independently of the sampler.
        double norm = 0;
        for (int k = 1; k < g; k++) {
            norm += 1.0 / (k * (g - k));
        }
        for (int k = 1; k < g; k++) {
            double p = 1.0 / (k * (g - k)) / norm;
            double sd = Math.sqrt(p * (1 - p) / pairs);
            assertEquals(p, (double) sizeCounts[k] / pairs, 5 * sd + 1e-4, "frequency of size " + k);
        }
    }

    @Test
    void coalitionsOfOneSizeAreUniformOverUnits() {
        int g = 8;
        ShapleyCoalitionSampler sampler = new ShapleyCoalitionSampler(SEEDS, g);
        long[] perUnit = new long[g];
        float[] mask = new float[g];
        int n = 40_000;
        long total = 0;
        for (int i = 0; i < n; i += 2) {
            sampler.fill(i, mask);
            for (int j = 0; j < g; j++) {
                perUnit[j] += (long) mask[j];
                total += (long) mask[j];
            }
        }
        for (int j = 0; j < g; j++) {
            assertEquals(1.0 / g, (double) perUnit[j] / total, 0.01, "unit " + j + " removed too often or too rarely: " + Arrays.toString(perUnit));
        }
        assertFalse(total == 0);
    }
}
