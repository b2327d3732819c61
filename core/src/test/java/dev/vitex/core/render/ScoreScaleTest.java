package dev.vitex.core.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScoreScaleTest {
    @Test
    void limitIsSymmetricAtTheLargerPercentile() {
        float[] s = new float[201];
        for (int i = 0; i < s.length; i++) {
            s[i] = i - 50; // -50 .. 150
        }
        ScoreScale scale = ScoreScale.of(s, 0.5, 99.5);
        // numpy.percentile(arange(-50, 151), 99.5) = 149.0
        assertEquals(149.0, scale.limit(), 1e-9);
        assertEquals(-1.0 / 3, scale.normalise(-149.0 / 3), 1e-12);
        assertEquals(1.0, scale.normalise(150));
        assertTrue(scale.clippedHigh());
        assertTrue(!scale.clippedLow());
    }

    @Test
    void sparseAllZeroAndNonFiniteMapsStillGetAUsableScale() {
        float[] sparse = new float[1000];
        sparse[7] = 0.25f;
        assertEquals(0.25, ScoreScale.of(sparse, 0.5, 99.5).limit(), 1e-9);
        assertEquals(1.0, ScoreScale.of(new float[10], 0.5, 99.5).limit());
        float[] withNaN = {Float.NaN, -2f, 2f, Float.POSITIVE_INFINITY};
        ScoreScale s = ScoreScale.of(withNaN, 0, 100);
        assertEquals(2.0, s.limit(), 1e-9);
        assertEquals(0.0, s.normalise(Double.NaN));
    }

    @Test
    void colormapIsBlueWhiteRed() {
        assertEquals(0x2166ac, DivergingColormap.rgb(-1));
        assertEquals(0xf7f7f7, DivergingColormap.rgb(0));
        assertEquals(0xb2182b, DivergingColormap.rgb(1));
        assertEquals(0xb2182b, DivergingColormap.rgb(7));
        assertEquals(0xf7f7f7, DivergingColormap.rgb(Double.NaN));
    }

    @Test
    void scoreLabelsAreShortAndRaw() {
        assertEquals("0.685", ScoreFormat.format(0.685));
        assertEquals("-0.343", ScoreFormat.format(-0.3425));
        assertEquals("1.23e-05", ScoreFormat.format(1.234e-5));
        assertEquals("-2e-04", ScoreFormat.format(-0.0002));
        assertEquals("12300", ScoreFormat.format(12345.6));
        assertEquals("3", ScoreFormat.format(3.0));
        assertEquals("0", ScoreFormat.format(0));
    }
}
