package dev.vitex.core.perturb;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a unit mask (rows × cols) is expanded to pixels. NEAREST (default) is hard: a removed cell
 * is fully removed and nothing leaks. BILINEAR and BICUBIC reproduce interpreto's soft masks:
 * torch's {@code interpolate(..., align_corners=False)} without antialiasing (bicubic A = −0.75).
 */
public enum MaskUpsampling {
    NEAREST,
    BILINEAR,
    BICUBIC;

    private static final double TORCH_CUBIC_A = -0.75;

    public static MaskUpsampling parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mask_upsampling must be one of "
                    + Arrays.stream(values()).map(MaskUpsampling::cliName).toList() + ", got \"" + value + "\"");
        }
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Dense interpolation matrix, {@code out × in}, row-major: pixel p = Σ_j m[p][j] · cell j. */
    public float[] matrix(int in, int out) {
        float[] m = new float[out * in];
        double scale = (double) in / out;
        for (int p = 0; p < out; p++) {
            switch (this) {
                case NEAREST -> m[p * in + Math.min((int) Math.floor(p * scale), in - 1)] = 1f;
                case BILINEAR -> {
                    double src = Math.max((p + 0.5) * scale - 0.5, 0.0);
                    int i0 = Math.min((int) Math.floor(src), in - 1);
                    int i1 = Math.min(i0 + 1, in - 1);
                    double l = src - i0;
                    m[p * in + i0] += (float) (1 - l);
                    m[p * in + i1] += (float) l;
                }
                case BICUBIC -> {
                    double src = (p + 0.5) * scale - 0.5;
                    int i0 = (int) Math.floor(src);
                    double t = src - i0;
                    double[] w = cubicWeights(t);
                    for (int k = 0; k < 4; k++) {
                        int idx = Math.min(Math.max(i0 - 1 + k, 0), in - 1);
                        m[p * in + idx] += (float) w[k];
                    }
                }
            }
        }
        return m;
    }

    private static double[] cubicWeights(double t) {
        double a = TORCH_CUBIC_A;
        return new double[] {
            cubicFar(t + 1, a), cubicNear(t, a), cubicNear(1 - t, a), cubicFar(2 - t, a)
        };
    }

    private static double cubicNear(double x, double a) {
        return ((a + 2) * x - (a + 3)) * x * x + 1;
    }

    private static double cubicFar(double x, double a) {
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
    }
}
