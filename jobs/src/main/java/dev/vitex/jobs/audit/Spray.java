package dev.vitex.jobs.audit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.DoublePoint;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.clustering.MultiKMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.distance.EuclideanDistance;
import org.apache.commons.math3.random.JDKRandomGenerator;

/**
 * Spectral relevance analysis (SpRAy, Lapuschkin et al. 2019) of one class's maps on the driver, on a bounded
 * sample (docs/audit.md § Clustering): a symmetric k-nearest-neighbour affinity graph with Gaussian weights
 * (bandwidth: each point's distance to its k-th neighbour, "self-tuning" Zelnik-Manor & Perona 2004), the
 * symmetric normalised Laplacian, its eigendecomposition (Commons Math, dense: the sample is bounded), the
 * number of clusters by the largest eigengap among the smallest {@code maxClusters + 1} eigenvalues, and
 * k-means++ (several seeded restarts) on the row-normalised spectral embedding. Deterministic for a seed.
 */
public final class Spray {
    /** Restarts of k-means++ in the embedding (the best by within-cluster distance is kept). */
    static final int KMEANS_RESTARTS = 8;
    static final int KMEANS_ITERATIONS = 100;

    private final int maxClusters;
    private final long seed;

    /** @param maxClusters the largest number of clusters considered (≥ 1) */
    public Spray(int maxClusters, long seed) {
        if (maxClusters < 1) {
            throw new IllegalArgumentException("maxClusters must be ≥ 1, got " + maxClusters);
        }
        this.maxClusters = maxClusters;
        this.seed = seed;
    }

    /** The clustering of one class: a cluster per point, 0-based and numbered by decreasing size. */
    public record Result(int[] cluster, int clusters, double eigengap, double[] eigenvalues) {}

    /** The number of neighbours in the affinity graph for {@code n} points: round(√n), within [2, 10]. */
    static int neighbours(int n) {
        return Math.max(1, Math.min(n - 1, Math.min(10, Math.max(2, (int) Math.round(Math.sqrt(n))))));
    }

    public Result cluster(double[][] points) {
        int n = points.length;
        if (n < 3) {
            return new Result(new int[n], n == 0 ? 0 : 1, 0, new double[0]);
        }
        double[][] w = affinity(points);
        double[] deg = new double[n];
        for (int i = 0; i < n; i++) {
            deg[i] = Arrays.stream(w[i]).sum();
        }
        double[][] lap = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double norm = deg[i] > 0 && deg[j] > 0 ? w[i][j] / Math.sqrt(deg[i] * deg[j]) : 0;
                lap[i][j] = (i == j ? 1.0 : 0.0) - norm;
            }
        }
        EigenDecomposition eig = new EigenDecomposition(new Array2DRowRealMatrix(lap, false));
        double[] values = eig.getRealEigenvalues();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> values[i]));
        int kMax = Math.min(maxClusters, n - 1);
        double[] smallest = new double[kMax + 1];
        for (int i = 0; i <= kMax; i++) {
            smallest[i] = values[order[i]];
        }
        int k = 1;
        double gap = smallest.length > 1 ? smallest[1] - smallest[0] : 0;
        for (int i = 1; i < kMax; i++) {
            if (smallest[i + 1] - smallest[i] > gap) {
                gap = smallest[i + 1] - smallest[i];
                k = i + 1;
            }
        }
        if (k == 1) {
            return new Result(new int[n], 1, gap, smallest);
        }
        List<DoublePoint> embedded = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            double[] row = new double[k];
            double norm = 0;
            for (int j = 0; j < k; j++) {
                row[j] = eig.getEigenvector(order[j]).getEntry(i);
                norm += row[j] * row[j];
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < k && norm > 0; j++) {
                row[j] /= norm;
            }
            embedded.add(new DoublePoint(row));
        }
        int[] labels = kmeans(embedded, k);
        return new Result(labels, Arrays.stream(labels).max().orElse(0) + 1, gap, smallest);
    }

    /** Symmetric kNN graph (i~j when either is among the other's k nearest) with self-tuning Gaussian weights. */
    private static double[][] affinity(double[][] p) {
        int n = p.length;
        int k = neighbours(n);
        double[][] d = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                d[i][j] = d[j][i] = MapFeatures.distance(p[i], p[j]);
            }
        }
        double[] sigma = new double[n];
        int[][] nearest = new int[n][];
        for (int i = 0; i < n; i++) {
            final int row = i;
            nearest[i] = IntStream.range(0, n).filter(j -> j != row).boxed()
                    .sorted(Comparator.<Integer>comparingDouble(j -> d[row][j]).thenComparingInt(j -> j))
                    .limit(k).mapToInt(Integer::intValue).toArray();
            sigma[i] = Math.max(d[i][nearest[i][k - 1]], 1e-12);
        }
        double[][] w = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j : nearest[i]) {
                double a = Math.exp(-d[i][j] * d[i][j] / (sigma[i] * sigma[j]));
                w[i][j] = a;
                w[j][i] = a;
            }
        }
        return w;
    }

    /** k-means++ with seeded restarts; clusters renumbered by decreasing size (ties: smallest first member). */
    private int[] kmeans(List<DoublePoint> points, int k) {
        JDKRandomGenerator random = new JDKRandomGenerator();
        random.setSeed(seed);
        KMeansPlusPlusClusterer<DoublePoint> one = new KMeansPlusPlusClusterer<>(k, KMEANS_ITERATIONS, new EuclideanDistance(),
                random, KMeansPlusPlusClusterer.EmptyClusterStrategy.LARGEST_POINTS_NUMBER);
        List<CentroidCluster<DoublePoint>> found = new MultiKMeansPlusPlusClusterer<>(one, KMEANS_RESTARTS).cluster(points);
        int[] raw = new int[points.size()];
        for (int c = 0; c < found.size(); c++) {
            for (DoublePoint member : found.get(c).getPoints()) {
                for (int i = 0; i < points.size(); i++) {
                    if (points.get(i) == member) {
                        raw[i] = c;
                    }
                }
            }
        }
        return renumberBySize(raw, found.size());
    }

    static int[] renumberBySize(int[] raw, int k) {
        int[] size = new int[k];
        int[] first = new int[k];
        Arrays.fill(first, Integer.MAX_VALUE);
        for (int i = 0; i < raw.length; i++) {
            size[raw[i]]++;
            first[raw[i]] = Math.min(first[raw[i]], i);
        }
        Integer[] order = new Integer[k];
        for (int c = 0; c < k; c++) {
            order[c] = c;
        }
        Arrays.sort(order, Comparator.<Integer>comparingInt(c -> -size[c]).thenComparingInt(c -> first[c]));
        int[] newId = new int[k];
        int next = 0;
        for (Integer c : order) {
            if (size[c] > 0) {
                newId[c] = next++;
            }
        }
        int[] out = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = newId[raw[i]];
        }
        return out;
    }
}
