package dev.vitex.core.perturb;

import java.util.SplittableRandom;

/**
 * KernelSHAP's coalitions, drawn from the Shapley kernel (Lundberg & Lee 2017): a size k in
 * 1..g−1 with probability ∝ (g − 1) / (k (g − k)), then exactly k units removed, uniformly among
 * the subsets of that size. Sampling by the kernel is what lets the regression be unweighted.
 *
 * <p>Samples come in antithetic pairs (Covert & Lee 2021): sample 2m removes a drawn set and
 * sample 2m + 1 removes its complement. The kernel is symmetric in k ↔ g − k, so the complement
 * has the same distribution, and pairing cancels much of the estimator's variance. Pair m draws
 * from its own stream, so a sample does not depend on batching.
 */
public final class ShapleyCoalitionSampler {
    private final SeedSequence seeds;
    private final int units;
    private final double[] cumulative; // P(size ≤ k), k = 1..g−1, at index k − 1

    public ShapleyCoalitionSampler(SeedSequence seeds, int units) {
        if (units < 2) {
            throw new IllegalArgumentException("Shapley coalitions need ≥ 2 units, got " + units);
        }
        this.seeds = seeds;
        this.units = units;
        this.cumulative = new double[units - 1];
        double total = 0;
        for (int k = 1; k < units; k++) {
            total += sizeWeight(units, k);
            cumulative[k - 1] = total;
        }
        for (int k = 0; k < cumulative.length; k++) {
            cumulative[k] /= total;
        }
        cumulative[cumulative.length - 1] = 1.0;
    }

    /** The Shapley kernel's unnormalised weight of all coalitions of size k together. */
    public static double sizeWeight(int units, int k) {
        return (units - 1.0) / ((double) k * (units - k));
    }

    /** Writes sample {@code i} into {@code mask} (1 = removed, 0 = kept; length = units). */
    public void fill(long i, float[] mask) {
        SplittableRandom rng = seeds.sample(i / 2);
        int size = drawSize(rng);
        // Partial Fisher–Yates: the first `size` entries of a random permutation are removed.
        int[] order = new int[units];
        for (int j = 0; j < units; j++) {
            order[j] = j;
        }
        for (int j = 0; j < size; j++) {
            int pick = j + rng.nextInt(units - j);
            int tmp = order[j];
            order[j] = order[pick];
            order[pick] = tmp;
        }
        boolean complement = (i & 1L) == 1L;
        java.util.Arrays.fill(mask, 0, units, complement ? 1f : 0f);
        for (int j = 0; j < size; j++) {
            mask[order[j]] = complement ? 0f : 1f;
        }
    }

    private int drawSize(SplittableRandom rng) {
        double u = rng.nextDouble();
        int k = java.util.Arrays.binarySearch(cumulative, u);
        int index = k >= 0 ? k + 1 : -k - 1; // first cumulative value > u
        return Math.min(index, cumulative.length - 1) + 1;
    }
}
