package dev.vitex.jobs.audit;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * How two maps of the same image, method and target differ (docs/audit.md § Compare): Pearson and Spearman
 * correlation of the raw scores (Spearman: Pearson of the ranks, ties get their mean rank) and the IoU of the
 * top-k units by score, {@code k = max(1, ceil(units / 10))} (ties broken by unit index). Two identical maps
 * give 1 for all three, also when constant; a constant map against a different one has no correlation (NaN).
 */
public final class MapComparison {
    private MapComparison() {}

    /** The top-k size for a map of {@code units} units. */
    public static int topK(int units) {
        return Math.max(1, (units + 9) / 10);
    }

    public static double pearson(float[] a, float[] b) {
        double[] x = new double[a.length];
        double[] y = new double[b.length];
        for (int i = 0; i < a.length; i++) {
            x[i] = a[i];
            y[i] = b[i];
        }
        return Arrays.equals(a, b) ? 1.0 : correlation(x, y);
    }

    public static double spearman(float[] a, float[] b) {
        return Arrays.equals(a, b) ? 1.0 : correlation(ranks(a), ranks(b));
    }

    public static double topkIou(float[] a, float[] b) {
        int k = topK(a.length);
        boolean[] inA = top(a, k);
        boolean[] inB = top(b, k);
        int both = 0;
        int either = 0;
        for (int i = 0; i < a.length; i++) {
            both += inA[i] && inB[i] ? 1 : 0;
            either += inA[i] || inB[i] ? 1 : 0;
        }
        return either == 0 ? 1.0 : (double) both / either;
    }

    private static boolean[] top(float[] s, int k) {
        boolean[] in = new boolean[s.length];
        IntStream.range(0, s.length).boxed()
                .sorted(Comparator.<Integer>comparingDouble(i -> -s[i]).thenComparingInt(i -> i))
                .limit(k).forEach(i -> in[i] = true);
        return in;
    }

    static double[] ranks(float[] s) {
        Integer[] order = IntStream.range(0, s.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> s[i]));
        double[] rank = new double[s.length];
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && s[order[j + 1]] == s[order[i]]) {
                j++;
            }
            double mean = (i + j) / 2.0 + 1;
            for (int t = i; t <= j; t++) {
                rank[order[t]] = mean;
            }
            i = j + 1;
        }
        return rank;
    }

    static double correlation(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException(x.length + " vs " + y.length + " units");
        }
        double mx = Arrays.stream(x).average().orElse(0);
        double my = Arrays.stream(y).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < x.length; i++) {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : Double.NaN;
    }
}
