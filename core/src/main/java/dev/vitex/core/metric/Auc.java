package dev.vitex.core.metric;

/** Area under a curve by the trapezoid rule. */
public final class Auc {
    private Auc() {}

    public static double trapezoid(double[] x, float[] y) {
        if (x.length != y.length || x.length < 2) {
            throw new IllegalArgumentException("a curve needs ≥ 2 points and as many x as y, got " + x.length + " and " + y.length);
        }
        double area = 0;
        for (int i = 1; i < x.length; i++) {
            area += (x[i] - x[i - 1]) * (y[i] + (double) y[i - 1]) / 2;
        }
        return area;
    }
}
