package dev.vitex.core.image;

import java.util.Arrays;
import java.util.Locale;

/**
 * Separable resampling of planar float maps (C×H×W or H×W).
 *
 * <p>BILINEAR and BICUBIC are antialiased exactly as torch's
 * {@code interpolate(..., antialias=True, align_corners=False)} and PIL's {@code Image.resize}
 * compute them: the filter is stretched by the scale when shrinking, and weights are
 * renormalised at the borders (triangle filter; Keys cubic with a = −0.5). AREA is the mean over
 * each output cell's source range ({@code adaptive_avg_pool2d}); NEAREST picks the source pixel
 * under each output pixel's centre (PIL's nearest).
 */
public enum ResampleFilter {
    NEAREST,
    BILINEAR,
    BICUBIC,
    AREA;

    private static final double CUBIC_A = -0.5;

    public static ResampleFilter parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("resize must be one of "
                    + Arrays.stream(values()).map(r -> r.name().toLowerCase(Locale.ROOT)).toList() + ", got \"" + value + "\"");
        }
    }

    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The sparse 1-D weights mapping {@code in} source samples to {@code out} output samples. */
    public Weights weights(int in, int out) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("cannot resize " + in + " to " + out);
        }
        return weights(in, out, (double) in / out, 0.0);
    }

    /**
     * The weights of a box resize (PIL's {@code resize(..., box=...)}): output pixel i covers the
     * source interval [offset + i·scale, offset + (i+1)·scale), in source pixels; taps outside
     * [0, in) are dropped and the rest renormalised. {@code weights(in, out)} is the box [0, in).
     */
    public Weights weights(int in, int out, double scale, double offset) {
        if (in < 1 || out < 1 || !(scale > 0)) {
            throw new IllegalArgumentException("cannot resize " + in + " to " + out + " at scale " + scale);
        }
        int[] first = new int[out];
        double[][] w = new double[out][];
        for (int i = 0; i < out; i++) {
            switch (this) {
                case NEAREST -> {
                    first[i] = clamp((int) Math.floor(offset + (i + 0.5) * scale), 0, in - 1);
                    w[i] = new double[] {1.0};
                }
                case AREA -> {
                    int start = clamp((int) Math.floor(snap(offset + i * scale)), 0, in - 1);
                    int end = clamp((int) Math.ceil(snap(offset + (i + 1) * scale)), start + 1, in);
                    first[i] = start;
                    w[i] = new double[end - start];
                    Arrays.fill(w[i], 1.0 / (end - start));
                }
                default -> {
                    double support = (this == BILINEAR ? 1.0 : 2.0) * (scale >= 1.0 ? scale : 1.0);
                    double invScale = scale >= 1.0 ? 1.0 / scale : 1.0;
                    double center = offset + scale * (i + 0.5);
                    int xmin = Math.max((int) (center - support + 0.5), 0);
                    int xsize = Math.min((int) (center + support + 0.5), in) - xmin;
                    double[] row = new double[Math.max(xsize, 0)];
                    double total = 0;
                    for (int j = 0; j < row.length; j++) {
                        row[j] = filter((j + xmin - center + 0.5) * invScale);
                        total += row[j];
                    }
                    if (total != 0) {
                        for (int j = 0; j < row.length; j++) {
                            row[j] /= total;
                        }
                    }
                    first[i] = xmin;
                    w[i] = row;
                }
            }
        }
        return new Weights(first, w);
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** Rounds away the last-bit error of {@code i·scale} near an integer (AREA cell edges). */
    private static double snap(double x) {
        double r = Math.rint(x);
        return Math.abs(x - r) < 1e-9 ? r : x;
    }

    private double filter(double x) {
        x = Math.abs(x);
        if (this == BILINEAR) {
            return x < 1.0 ? 1.0 - x : 0.0;
        }
        if (x < 1.0) {
            return ((CUBIC_A + 2.0) * x - (CUBIC_A + 3.0)) * x * x + 1.0;
        }
        if (x < 2.0) {
            return (((x - 5.0) * x + 8.0) * x - 4.0) * CUBIC_A;
        }
        return 0.0;
    }

    /**
     * Resizes {@code planes} maps of {@code h×w} (planar, row-major) to {@code oh×ow}; width first,
     * then height, in double precision.
     */
    public float[] apply(float[] src, int planes, int h, int w, int oh, int ow) {
        if (src.length != planes * h * w) {
            throw new IllegalArgumentException("map has " + src.length + " values, expected " + planes + "×" + h + "×" + w);
        }
        if (h == oh && w == ow && this != NEAREST) {
            return src.clone();
        }
        return apply(src, planes, h, w, weights(h, oh), weights(w, ow));
    }

    private static boolean identity(int[] selection) {
        for (int i = 0; i < selection.length; i++) {
            if (selection[i] != i) {
                return false;
            }
        }
        return true;
    }

    /**
     * Resamples {@code planes} maps of {@code h×w} with explicit row and column weights (a box resize).
     * When both are selections (an image already at the output size, a whole-pixel box: every output
     * sample one source sample of weight 1, its neighbours' taps 0) the samples are copied: the same
     * values as the weighted sums for finite inputs, without their cost (issue 16: resampling was about
     * half of the decode-and-preprocess time of 64×64 images for a 64×64 model).
     */
    public static float[] apply(float[] src, int planes, int h, int w, Weights wy, Weights wx) {
        int oh = wy.first().length;
        int ow = wx.first().length;
        int[] sy = wy.selection();
        int[] sx = sy == null ? null : wx.selection();
        if (sx != null && oh == h && ow == w && identity(sy) && identity(sx)) {
            return src.clone(); // an image already at the output size: one block copy
        }
        if (sx != null) {
            float[] out = new float[planes * oh * ow];
            for (int p = 0; p < planes; p++) {
                for (int y = 0; y < oh; y++) {
                    int from = (p * h + sy[y]) * w;
                    int to = (p * oh + y) * ow;
                    for (int x = 0; x < ow; x++) {
                        out[to + x] = src[from + sx[x]];
                    }
                }
            }
            return out;
        }
        double[] wide = new double[src.length]; // float → double is exact: one dot product for both passes
        for (int i = 0; i < src.length; i++) {
            wide[i] = src[i];
        }
        double[] tmp = new double[planes * h * ow];
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < h; y++) {
                int rowBase = (p * h + y) * w;
                int outBase = (p * h + y) * ow;
                for (int x = 0; x < ow; x++) {
                    tmp[outBase + x] = wx.dot(x, wide, rowBase, 1);
                }
            }
        }
        float[] out = new float[planes * oh * ow];
        for (int p = 0; p < planes; p++) {
            for (int y = 0; y < oh; y++) {
                for (int x = 0; x < ow; x++) {
                    out[(p * oh + y) * ow + x] = (float) wy.dot(y, tmp, p * h * ow + x, ow);
                }
            }
        }
        return out;
    }

    /** Sparse rows of a resampling matrix: output i = Σ_j weights[i][j] · source[first[i] + j]. */
    public record Weights(int[] first, double[][] weights) {
        /** The one source index of each output sample when every row is a single weight 1 among zeros; else null. */
        int[] selection() {
            int[] at = new int[first.length];
            for (int i = 0; i < first.length; i++) {
                int one = -1;
                for (int j = 0; j < weights[i].length; j++) {
                    double v = weights[i][j];
                    if (v == 1.0 && one < 0) {
                        one = j;
                    } else if (v != 0.0) {
                        return null;
                    }
                }
                if (one < 0) {
                    return null;
                }
                at[i] = first[i] + one;
            }
            return at;
        }

        double dot(int i, double[] src, int base, int stride) {
            double acc = 0;
            double[] row = weights[i];
            int off = base + first[i] * stride;
            for (int j = 0; j < row.length; j++) {
                acc += row[j] * src[off + j * stride];
            }
            return acc;
        }
    }
}
