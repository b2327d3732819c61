package dev.vitex.core.render;

/**
 * The diverging colormap of every heatmap: blue for negative scores, white at zero, red for positive
 * ones (ColorBrewer's RdBu, reversed so that red means "raises the target score").
 *
 * <p>The darkest ends of RdBu (#053061, #67001f) are left out: blended over a photo they read as
 * black, which hides the image the auditor wants to see. The overlay's opacity grows with |t|, so
 * scores near zero leave the image untouched; the colour alone already fades to white there for the
 * colour bar.
 */
public final class DivergingColormap {
    /** RdBu from #2166ac (t = −1) through #f7f7f7 (t = 0) to #b2182b (t = +1), evenly spaced. */
    private static final int[] STOPS = {
        0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xf7f7f7, 0xfddbc7, 0xf4a582, 0xd6604d, 0xb2182b,
    };

    private DivergingColormap() {}

    /** The colour (0xRRGGBB) of a normalised score t in [−1, 1]; values outside are clamped, NaN is zero. */
    public static int rgb(double t) {
        double u = (clamp(t) + 1.0) / 2.0 * (STOPS.length - 1);
        int i = Math.min((int) Math.floor(u), STOPS.length - 2);
        double f = u - i;
        int a = STOPS[i];
        int b = STOPS[i + 1];
        return mix(a >> 16 & 0xff, b >> 16 & 0xff, f) << 16
                | mix(a >> 8 & 0xff, b >> 8 & 0xff, f) << 8
                | mix(a & 0xff, b & 0xff, f);
    }

    /** t clamped to [−1, 1], NaN mapped to 0 (no colour). */
    public static double clamp(double t) {
        if (Double.isNaN(t)) {
            return 0.0;
        }
        return Math.max(-1.0, Math.min(1.0, t));
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round(a + (b - a) * f);
    }
}
