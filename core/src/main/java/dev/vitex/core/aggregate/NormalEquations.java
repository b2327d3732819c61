package dev.vitex.core.aggregate;

/**
 * Weighted sums that define a linear least-squares problem, accumulated one observation at a
 * time so that the design matrix (n × p, possibly millions of entries) is never stored:
 * Σw, Σw·x, Σw·x xᵀ, Σw·y, Σw·x y. Kept in double precision; mask features are mostly
 * 0/1, so only the non-zero features of an observation are visited.
 */
public final class NormalEquations {
    private final int features;
    private final double[][] xx; // upper triangle filled while adding, mirrored on read
    private final double[] x;
    private final double[] xy;
    private double weight;
    private double y;
    private long count;

    public NormalEquations(int features) {
        if (features < 1) {
            throw new IllegalArgumentException("a regression needs ≥ 1 feature, got " + features);
        }
        this.features = features;
        this.xx = new double[features][features];
        this.x = new double[features];
        this.xy = new double[features];
    }

    public int features() {
        return features;
    }

    public long count() {
        return count;
    }

    /** Adds one observation (features {@code row}, target {@code target}) with weight {@code w}. */
    public void add(float[] row, double target, double w) {
        if (row.length < features) {
            throw new IllegalArgumentException(row.length + " features, expected " + features);
        }
        int[] nonZero = new int[features];
        int nnz = 0;
        for (int j = 0; j < features; j++) {
            if (row[j] != 0f) {
                nonZero[nnz++] = j;
            }
        }
        for (int p = 0; p < nnz; p++) {
            int j = nonZero[p];
            double wj = w * row[j];
            x[j] += wj;
            xy[j] += wj * target;
            double[] line = xx[j];
            for (int q = p; q < nnz; q++) {
                line[nonZero[q]] += wj * row[nonZero[q]];
            }
        }
        weight += w;
        y += w * target;
        count++;
    }

    /** Σw. */
    public double weight() {
        return weight;
    }

    /** Σw·x_j. */
    public double x(int j) {
        return x[j];
    }

    /** Σw·x_j x_k. */
    public double xx(int j, int k) {
        return j <= k ? xx[j][k] : xx[k][j];
    }

    /** Σw·x_j y. */
    public double xy(int j) {
        return xy[j];
    }

    /** Σw·y. */
    public double y() {
        return y;
    }
}
