package dev.vitex.core.render;

import java.util.Arrays;

/**
 * How raw scores map to the colormap: a score s is shown as {@code t = clamp(s / limit, −1, 1)}.
 *
 * <p>The limit is symmetric around zero, {@code max(|p_low|, |p_high|)} of the chosen percentiles,
 * so that zero is always white and equal magnitudes get equal colour on both sides. Percentile
 * clipping keeps one extreme unit (common with gradients) from washing everything else out.
 *
 * @param limit the score shown at full colour (&gt; 0)
 * @param min the smallest finite score
 * @param max the largest finite score
 */
public record ScoreScale(double limit, double min, double max) {

    public ScoreScale {
        if (!(limit > 0) || Double.isInfinite(limit)) {
            throw new IllegalArgumentException("limit must be a positive finite number, got " + limit);
        }
    }

    /**
     * The scale of {@code scores} clipped at the given percentiles (0–100, numpy's linear
     * interpolation). Non-finite scores are ignored. When the percentiles are both zero (a sparse
     * map) the largest |score| is used instead, and an all-zero map gets limit 1 (nothing coloured).
     */
    public static ScoreScale of(float[] scores, double lowPercentile, double highPercentile) {
        double[] finite = new double[scores.length];
        int n = 0;
        for (float s : scores) {
            if (Float.isFinite(s)) {
                finite[n++] = s;
            }
        }
        if (n == 0) {
            return new ScoreScale(1.0, 0.0, 0.0);
        }
        double[] sorted = Arrays.copyOf(finite, n);
        Arrays.sort(sorted);
        double limit = Math.max(Math.abs(percentile(sorted, lowPercentile)), Math.abs(percentile(sorted, highPercentile)));
        if (limit == 0) {
            limit = Math.max(Math.abs(sorted[0]), Math.abs(sorted[n - 1]));
        }
        if (limit == 0) {
            limit = 1.0;
        }
        return new ScoreScale(limit, sorted[0], sorted[n - 1]);
    }

    /** The normalised score in [−1, 1]; NaN maps to 0. */
    public double normalise(double score) {
        return DivergingColormap.clamp(score / limit);
    }

    /** Whether some scores lie below −limit (shown at full blue). */
    public boolean clippedLow() {
        return min < -limit;
    }

    /** Whether some scores lie above +limit (shown at full red). */
    public boolean clippedHigh() {
        return max > limit;
    }

    /** numpy's default ("linear") percentile of sorted values. */
    static double percentile(double[] sorted, double p) {
        double pos = p / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double f = pos - lo;
        return sorted[lo] + (sorted[hi] - sorted[lo]) * f;
    }
}
