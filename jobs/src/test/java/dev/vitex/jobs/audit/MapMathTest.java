package dev.vitex.jobs.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The per-map figures against closed forms. */
class MapMathTest {

    @Test
    void featuresArePositivePartSumOnePooledToAtMost16() {
        // 32×32 grid, value = +1 in the top-left 2×2 block, −5 elsewhere on row 0: pooled 16×16, all mass on cell 0
        float[] s = new float[32 * 32];
        s[0] = 1;
        s[1] = 1;
        s[32] = 1;
        s[33] = 1;
        for (int c = 2; c < 32; c++) {
            s[c] = -5;
        }
        double[] f = MapFeatures.features(s, 32, 32);
        assertEquals(256, f.length);
        assertEquals(1.0, f[0], 1e-12);
        assertEquals(1.0, Arrays.stream(f).sum(), 1e-12);
        // an 8×8 grid is not pooled; uneven 20×20 → blocks of 2 → 10×10
        assertEquals(64, MapFeatures.features(new float[64], 8, 8).length);
        assertEquals(10, MapFeatures.pooledSide(20));
        assertEquals(15, MapFeatures.pooledSide(15));
        assertEquals(16, MapFeatures.pooledSide(224));
        assertArrayEquals(new double[64], MapFeatures.features(new float[64], 8, 8), "no positive mass → zeros");
    }

    @Test
    void concentrationIsTheGiniCoefficient() {
        assertEquals(0.0, MapFeatures.concentration(new double[] {0.25, 0.25, 0.25, 0.25}), 1e-12);
        assertEquals(1.0, MapFeatures.concentration(new double[] {0, 0, 1, 0}), 1e-12);
        // {1, 3}: mean absolute difference / (2 mean) · n/(n−1) = (2·2/4)/(2·2)·2 = 0.5
        assertEquals(0.5, MapFeatures.concentration(new double[] {1, 3}), 1e-12);
    }

    @Test
    void borderShareCountsTheOuterRing() {
        float[] s = new float[16]; // 4×4: 12 border units, 4 inner
        Arrays.fill(s, 1f);
        assertEquals(12.0 / 16, MapFeatures.borderShare(s, 4, 4), 1e-12);
    }

    @Test
    void correlationsMatchClosedForms() {
        Random r = new Random(3);
        float[] a = new float[64];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
        }
        float[] affine = new float[64];
        float[] cubed = new float[64];
        float[] negated = new float[64];
        for (int i = 0; i < a.length; i++) {
            affine[i] = 3 * a[i] + 2;
            cubed[i] = a[i] * a[i] * a[i];
            negated[i] = -a[i];
        }
        assertEquals(1.0, MapComparison.pearson(a, affine), 1e-6);
        assertEquals(-1.0, MapComparison.pearson(a, negated), 1e-6);
        assertEquals(1.0, MapComparison.spearman(a, cubed), 1e-12, "monotone transform keeps the ranks");
        assertTrue(MapComparison.pearson(a, cubed) < 0.95);
        // ranks with ties: {1, 2, 2, 3} → {1, 2.5, 2.5, 4}
        assertArrayEquals(new double[] {1, 2.5, 2.5, 4}, MapComparison.ranks(new float[] {1, 2, 2, 3}));
        // Spearman of {1,2,3,4} vs {1,3,2,4}: 1 − 6·Σd²/(n(n²−1)) = 1 − 6·2/60 = 0.8
        assertEquals(0.8, MapComparison.spearman(new float[] {1, 2, 3, 4}, new float[] {1, 3, 2, 4}), 1e-12);
        assertTrue(Double.isNaN(MapComparison.pearson(new float[4], new float[] {1, 2, 3, 4})));
        assertEquals(1.0, MapComparison.pearson(new float[4], new float[4]), "identical constant maps");
    }

    @Test
    void topKIouUsesTheTopTenPercent() {
        assertEquals(7, MapComparison.topK(64));
        float[] a = new float[20]; // k = 2
        float[] b = new float[20];
        a[3] = 5;
        a[7] = 4;
        b[3] = 9;
        b[11] = 8;
        assertEquals(1.0 / 3, MapComparison.topkIou(a, b), 1e-12); // {3,7} vs {3,11}
        assertEquals(1.0, MapComparison.topkIou(a, a), 1e-12);
    }
}
