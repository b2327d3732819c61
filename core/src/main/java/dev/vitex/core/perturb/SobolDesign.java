package dev.vitex.core.perturb;

import java.util.SplittableRandom;
import org.apache.commons.math3.random.SobolSequenceGenerator;

/**
 * The two independent sample matrices A and B (k designs × g units, values in [0, 1)) of a
 * Saltelli-type Sobol' design, taken from one 2g-dimensional Sobol' sequence: A is its first g
 * coordinates, B the last g (Saltelli 2002), as in Fel et al. (2021) and interpreto.
 *
 * <p>Direction numbers come from Apache Commons Math (Joe & Kuo's new-joe-kuo-6 table, which it
 * ships for up to {@value #MAX_DIMENSION} dimensions). The points are randomised per image with a
 * random linear matrix scramble plus a digital shift (Matoušek 1998; what SciPy's
 * {@code qmc.Sobol(scramble=True)} does): each coordinate's binary digits are multiplied by a
 * random lower-triangular unit-diagonal matrix over GF(2), then XORed with random digits. This
 * keeps the (t, m, s)-net structure of the sequence while making it seedable, so different images
 * and seeds get different, equally well spread designs.
 */
public final class SobolDesign {
    /** Dimensions with direction numbers in Commons Math: a design of g units needs 2g. */
    public static final int MAX_DIMENSION = 1000;
    private static final int BITS = 52; // Commons Math's SobolSequenceGenerator resolution
    private static final double SCALE = Math.pow(2, BITS);

    private final int designs;
    private final int units;
    private final double[][] a;
    private final double[][] b;

    /**
     * @param rng the image's stream for the scramble (one draw per image, never per sample)
     */
    public SobolDesign(int designs, int units, SplittableRandom rng) {
        if (designs < 1 || units < 1) {
            throw new IllegalArgumentException("a Sobol' design needs ≥ 1 design and ≥ 1 unit");
        }
        if (2 * units > MAX_DIMENSION) {
            throw new IllegalArgumentException("a Sobol' design of " + units + " units needs " + 2 * units
                    + " dimensions; at most " + MAX_DIMENSION + " are available (" + MAX_DIMENSION / 2 + " units)");
        }
        this.designs = designs;
        this.units = units;
        int dim = 2 * units;
        long[][] rows = new long[dim][];
        long[] shift = new long[dim];
        for (int d = 0; d < dim; d++) {
            rows[d] = scrambleMatrix(rng);
            shift[d] = rng.nextLong() & ((1L << BITS) - 1);
        }
        this.a = new double[designs][units];
        this.b = new double[designs][units];
        SobolSequenceGenerator sequence = new SobolSequenceGenerator(dim);
        for (int r = 0; r < designs; r++) {
            double[] point = sequence.nextVector();
            for (int d = 0; d < dim; d++) {
                long digits = (long) (point[d] * SCALE); // exact: the generator returns integers / 2^52
                double v = (scramble(rows[d], digits) ^ shift[d]) / SCALE;
                if (d < units) {
                    a[r][d] = v;
                } else {
                    b[r][d - units] = v;
                }
            }
        }
    }

    public int designs() {
        return designs;
    }

    public int units() {
        return units;
    }

    /** A[r][j]. */
    public double a(int r, int j) {
        return a[r][j];
    }

    /** B[r][j]. */
    public double b(int r, int j) {
        return b[r][j];
    }

    /**
     * Row masks of a random lower-triangular unit-diagonal binary matrix. Digit i (0 = most
     * significant, bit position BITS − 1 − i) of the output is the parity of the input digits
     * selected by row i: itself and a random subset of the more significant ones.
     */
    private static long[] scrambleMatrix(SplittableRandom rng) {
        long[] rows = new long[BITS];
        for (int i = 0; i < BITS; i++) {
            int position = BITS - 1 - i;
            long above = position == BITS - 1 ? 0L : rng.nextLong() & (((1L << BITS) - 1) ^ ((1L << (position + 1)) - 1));
            rows[i] = above | (1L << position);
        }
        return rows;
    }

    private static long scramble(long[] rows, long digits) {
        long out = 0L;
        for (int i = 0; i < BITS; i++) {
            if ((Long.bitCount(rows[i] & digits) & 1) == 1) {
                out |= 1L << (BITS - 1 - i);
            }
        }
        return out;
    }
}
