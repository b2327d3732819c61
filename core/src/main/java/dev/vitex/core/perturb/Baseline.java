package dev.vitex.core.perturb;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The replacement {@code r} for removed units, or the reference point of path methods, in
 * normalised space: a constant (default 0.0 = the dataset's mean colour), one value per channel,
 * the image blurred with a Gaussian of σ pixels, or the image plus Gaussian noise of σ.
 */
public record Baseline(Kind kind, double[] values) {
    public enum Kind { CONSTANT, PER_CHANNEL, BLUR, NOISE }

    public static final String ALLOWED = "a number (e.g. 0.0), [c1,c2,c3], blur:SIGMA or noise:SIGMA";

    /** The default: the constant 0.0 (the dataset's mean colour in normalised space). */
    public static final Baseline ZERO = new Baseline(Kind.CONSTANT, new double[] {0.0});

    public Baseline {
        values = values.clone();
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Baseline b && kind == b.kind && Arrays.equals(values, b.values);
    }

    @Override
    public int hashCode() {
        return 31 * kind.hashCode() + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return text();
    }

    /** Parses the parameter syntax of methods.md; errors say what is allowed. */
    public static Baseline parse(String text, int channels) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("blur:") || t.startsWith("noise:")) {
                double sigma = Double.parseDouble(t.substring(t.indexOf(':') + 1));
                if (!(sigma > 0) || Double.isInfinite(sigma)) {
                    throw new IllegalArgumentException("σ must be > 0");
                }
                return new Baseline(t.startsWith("blur:") ? Kind.BLUR : Kind.NOISE, new double[] {sigma});
            }
            if (t.startsWith("[")) {
                if (!t.endsWith("]")) {
                    throw new IllegalArgumentException("missing ]");
                }
                String[] parts = t.substring(1, t.length() - 1).split(",");
                if (parts.length != channels) {
                    throw new IllegalArgumentException("needs " + channels + " values, one per channel, got " + parts.length);
                }
                return new Baseline(Kind.PER_CHANNEL, Arrays.stream(parts).mapToDouble(p -> Double.parseDouble(p.trim())).toArray());
            }
            double v = Double.parseDouble(t);
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("must be finite");
            }
            return new Baseline(Kind.CONSTANT, new double[] {v});
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("baseline \"" + text + "\" is not valid (" + e.getMessage()
                    + "); allowed: " + ALLOWED, e);
        }
    }

    /** The canonical text of this baseline. */
    public String text() {
        return switch (kind) {
            case CONSTANT -> Double.toString(values[0]);
            case PER_CHANNEL -> Arrays.toString(values).replace(" ", "");
            case BLUR -> "blur:" + values[0];
            case NOISE -> "noise:" + values[0];
        };
    }

    public boolean isStochastic() {
        return kind == Kind.NOISE;
    }

    /**
     * The reference image for input {@code x} (C×H×W). This runs once per image (not per
     * perturbation), so plain Java is fine here; {@code rng} is used by NOISE only.
     */
    public float[] reference(float[] x, int channels, int height, int width, SplittableRandom rng) {
        int plane = height * width;
        float[] r = new float[x.length];
        switch (kind) {
            case CONSTANT -> Arrays.fill(r, (float) values[0]);
            case PER_CHANNEL -> {
                for (int c = 0; c < channels; c++) {
                    Arrays.fill(r, c * plane, (c + 1) * plane, (float) values[c]);
                }
            }
            case NOISE -> {
                for (int i = 0; i < r.length; i++) {
                    r[i] = (float) (x[i] + values[0] * rng.nextGaussian());
                }
            }
            case BLUR -> {
                return GaussianBlur.apply(x, channels, height, width, values[0]);
            }
        }
        return r;
    }
}
