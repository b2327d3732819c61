package dev.vitex.jobs.audit;

import java.util.Arrays;

/**
 * What the audit compares maps by (docs/audit.md § Features): the positive part of a map, normalised to sum
 * 1, average-pooled to at most {@value #MAX_SIDE}×{@value #MAX_SIDE} cells. Positive part: the evidence FOR
 * the explained class, which is what a shortcut supplies; sum 1: maps of confident and unsure images, and of
 * methods with different score scales, become comparable. A map without positive mass becomes all zeros.
 */
public final class MapFeatures {
    /** The largest pooled side. */
    public static final int MAX_SIDE = 16;

    private MapFeatures() {}

    /** The pooled grid's side for a grid side: {@code ceil(side / ceil(side / MAX_SIDE))}. */
    public static int pooledSide(int side) {
        int block = (side + MAX_SIDE - 1) / MAX_SIDE;
        return (side + block - 1) / block;
    }

    /** The normalised positive part of a row-major {@code rows × cols} map, pooled (row-major). */
    public static double[] features(float[] scores, int rows, int cols) {
        if (scores.length != rows * cols) {
            throw new IllegalArgumentException(scores.length + " scores for a " + rows + "×" + cols + " grid");
        }
        int by = (rows + MAX_SIDE - 1) / MAX_SIDE;
        int bx = (cols + MAX_SIDE - 1) / MAX_SIDE;
        int pr = (rows + by - 1) / by;
        int pc = (cols + bx - 1) / bx;
        double[] pooled = new double[pr * pc];
        double total = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double v = scores[r * cols + c];
                if (v > 0 && Double.isFinite(v)) {
                    pooled[(r / by) * pc + c / bx] += v;
                    total += v;
                }
            }
        }
        if (total > 0) {
            for (int i = 0; i < pooled.length; i++) {
                pooled[i] /= total;
            }
        }
        return pooled;
    }

    /**
     * Gini coefficient of the positive mass (0 = spread evenly over all units, → 1 = all on one unit); 0 for
     * a map without positive mass.
     */
    public static double concentration(double[] mass) {
        int n = mass.length;
        double[] v = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            v[i] = Math.max(0, mass[i]);
            total += v[i];
        }
        if (n < 2 || total <= 0) {
            return 0;
        }
        Arrays.sort(v);
        double weighted = 0;
        for (int i = 0; i < n; i++) {
            weighted += (2.0 * (i + 1) - n - 1) * v[i];
        }
        return weighted / ((n - 1) * total);
    }

    /** Share of the positive mass on the outermost ring of units of a {@code rows × cols} map (0 without mass). */
    public static double borderShare(float[] scores, int rows, int cols) {
        double border = 0;
        double total = 0;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double v = scores[r * cols + c];
                if (v > 0 && Double.isFinite(v)) {
                    total += v;
                    if (r == 0 || c == 0 || r == rows - 1 || c == cols - 1) {
                        border += v;
                    }
                }
            }
        }
        return total > 0 ? border / total : 0;
    }

    /** Euclidean distance. */
    public static double distance(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }
}
