package dev.vitex.jobs.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** SpRAy on point sets whose clusters are known by construction. */
class SprayTest {

    /** {@code groups} tight Gaussian blobs of {@code each} points at unit vectors e_0, e_1, ... in 16 dimensions. */
    static double[][] blobs(int groups, int each, double spread, long seed) {
        Random r = new Random(seed);
        double[][] p = new double[groups * each][16];
        for (int g = 0; g < groups; g++) {
            for (int i = 0; i < each; i++) {
                for (int d = 0; d < 16; d++) {
                    p[g * each + i][d] = (d == g ? 1 : 0) + spread * r.nextGaussian();
                }
            }
        }
        return p;
    }

    @Test
    void findsTheBlobsAndTheirNumber() {
        for (int groups = 2; groups <= 4; groups++) {
            double[][] p = blobs(groups, 15, 0.03, groups);
            Spray.Result r = new Spray(8, 0).cluster(p);
            assertEquals(groups, r.clusters(), "eigengap's number of clusters");
            for (int g = 0; g < groups; g++) {
                for (int i = 1; i < 15; i++) {
                    assertEquals(r.cluster()[g * 15], r.cluster()[g * 15 + i], "blob " + g + " split");
                }
            }
        }
    }

    @Test
    void deterministicForASeedAndBoundedByMaxClusters() {
        double[][] p = blobs(4, 10, 0.03, 9);
        assertArrayEquals(new Spray(8, 5).cluster(p).cluster(), new Spray(8, 5).cluster(p).cluster());
        int bounded = new Spray(2, 0).cluster(p).clusters();
        assertTrue(bounded >= 1 && bounded <= 2, "clusters with maxClusters 2: " + bounded);
    }

    @Test
    void clustersAreNumberedBySize() {
        assertArrayEquals(new int[] {1, 0, 0, 2, 0, 1}, Spray.renumberBySize(new int[] {2, 0, 0, 1, 0, 2}, 3));
    }
}
