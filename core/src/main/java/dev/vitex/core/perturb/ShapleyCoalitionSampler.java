package dev.vitex.core.perturb;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * KernelSHAP's coalitions and their regression weights (Lundberg & Lee 2017, as their reference
 * {@code KernelExplainer} draws them). The Shapley kernel gives all coalitions with k units removed
 * together the weight ∝ (g − 1) / (k (g − k)); sizes k and g − k form one class (a coalition and its
 * complement), identified by its small side s = min(k, g − k).
 *
 * <p>Classes are taken whole, smallest s first, while the budget allows: every coalition of the
 * class is evaluated with its exact kernel weight (s = 1 always when n ≥ 2g: every unit removed
 * alone and kept alone, which on its own identifies all g values; the next classes only when
 * each of their coalitions would weigh at least as much as a random sample, the reference rule).
 * The rest of the budget samples the remaining classes by their kernel weight, a coalition of
 * exactly that size uniformly, in antithetic pairs (Covert & Lee 2021): sample 2m removes a drawn
 * set and sample 2m + 1 its complement, which cancels much of the estimator's variance. Random
 * samples share the remaining weight equally. When every class fits, the result is exact and
 * fewer than n samples are used. Pair m draws from its own stream, so no sample depends on
 * batching.
 */
public final class ShapleyCoalitionSampler {
    private final SeedSequence seeds;
    private final int units;
    private final double[] classWeight; // normalised kernel weight of small side s, index s
    private final int fullClasses; // classes 1..fullClasses are enumerated
    private final int[] classStart; // first sample index of enumerated class s
    private final int enumerated;
    private final int count;
    private final double randomWeight; // weight of each random sample
    private final double[] randomCumulative; // over classes fullClasses+1..g/2

    /** @param budget the number of coalitions to evaluate at most (KernelShap's n) */
    public ShapleyCoalitionSampler(SeedSequence seeds, int units, int budget) {
        if (units < 2) {
            throw new IllegalArgumentException("Shapley coalitions need ≥ 2 units, got " + units);
        }
        if (budget < 1) {
            throw new IllegalArgumentException("the coalition budget must be ≥ 1, got " + budget);
        }
        this.seeds = seeds;
        this.units = units;
        int classes = units / 2;
        classWeight = new double[classes + 1];
        double total = 0;
        for (int s = 1; s <= classes; s++) {
            classWeight[s] = (units - 1.0) / ((double) s * (units - s)) * (paired(s) ? 2 : 1);
            total += classWeight[s];
        }
        for (int s = 1; s <= classes; s++) {
            classWeight[s] /= total;
        }
        classStart = new int[classes + 2];
        int left = budget;
        int full = 0;
        double remaining = 1.0;
        for (int s = 1; s <= classes; s++) {
            double size = classSize(s);
            boolean fits = size <= left;
            boolean worthIt = left * (classWeight[s] / remaining) / size >= 1 - 1e-8;
            if (!fits || !(worthIt || s == 1)) {
                break;
            }
            classStart[s] = budget - left;
            left -= (int) size;
            remaining -= classWeight[s];
            full = s;
        }
        classStart[full + 1] = budget - left;
        this.fullClasses = full;
        this.enumerated = budget - left;
        boolean complete = full == classes;
        this.count = complete ? enumerated : budget;
        int randomSamples = count - enumerated;
        this.randomWeight = randomSamples > 0 ? Math.max(remaining, 0) / randomSamples : 0;
        this.randomCumulative = new double[Math.max(0, classes - full)];
        double acc = 0;
        for (int s = full + 1; s <= classes; s++) {
            acc += classWeight[s];
            randomCumulative[s - full - 1] = acc;
        }
        for (int i = 0; i < randomCumulative.length; i++) {
            randomCumulative[i] /= acc;
        }
    }

    /** Whether class s holds two sizes (s and g − s), i.e. a coalition differs from its complement's size. */
    private boolean paired(int s) {
        return 2 * s != units;
    }

    /** Number of coalitions in class s: C(g, s), twice when paired; +∞ beyond long range. */
    private double classSize(int s) {
        double c = 1;
        for (int i = 1; i <= s; i++) {
            c = c * (units - s + i) / i;
        }
        return Math.rint(c) * (paired(s) ? 2 : 1);
    }

    /** Samples actually used: the budget, or fewer when every class was enumerated (exact result). */
    public int count() {
        return count;
    }

    /** Classes 1..fullClasses() are enumerated whole. */
    public int fullClasses() {
        return fullClasses;
    }

    /** The sample's weight in the regression; all weights sum to 1. */
    public double weight(int i) {
        if (i < enumerated) {
            int s = classOf(i);
            return classWeight[s] / classSize(s);
        }
        return randomWeight;
    }

    /** Writes sample {@code i} into {@code mask} (1 = removed, 0 = kept; length = units). */
    public void fill(int i, float[] mask) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("sample " + i + " of " + count);
        }
        if (i < enumerated) {
            int s = classOf(i);
            long r = i - classStart[s];
            boolean complement = paired(s) && (r & 1L) == 1L;
            int[] subset = combination(paired(s) ? r / 2 : r, s);
            Arrays.fill(mask, 0, units, complement ? 1f : 0f);
            for (int j : subset) {
                mask[j] = complement ? 0f : 1f;
            }
            return;
        }
        long m = (i - enumerated) / 2;
        SplittableRandom rng = seeds.sample(m);
        int s = drawClass(rng);
        int[] order = new int[units];
        for (int j = 0; j < units; j++) {
            order[j] = j;
        }
        for (int j = 0; j < s; j++) { // partial Fisher–Yates: a uniform s-subset
            int pick = j + rng.nextInt(units - j);
            int tmp = order[j];
            order[j] = order[pick];
            order[pick] = tmp;
        }
        boolean complement = ((i - enumerated) & 1) == 1;
        Arrays.fill(mask, 0, units, complement ? 1f : 0f);
        for (int j = 0; j < s; j++) {
            mask[order[j]] = complement ? 0f : 1f;
        }
    }

    private int classOf(int i) {
        int s = 1;
        while (s < fullClasses && i >= classStart[s + 1]) {
            s++;
        }
        return s;
    }

    private int drawClass(SplittableRandom rng) {
        double u = rng.nextDouble();
        for (int k = 0; k < randomCumulative.length; k++) {
            if (u < randomCumulative[k]) {
                return fullClasses + 1 + k;
            }
        }
        return fullClasses + randomCumulative.length;
    }

    /** The r-th s-subset of {0..g−1} in lexicographic order (combinatorial number system). */
    private int[] combination(long r, int s) {
        int[] out = new int[s];
        int next = 0;
        for (int k = 0; k < s; k++) {
            for (int j = next; j < units; j++) {
                long with = binomial(units - j - 1, s - k - 1); // subsets whose k-th element is j
                if (r < with) {
                    out[k] = j;
                    next = j + 1;
                    break;
                }
                r -= with;
            }
        }
        return out;
    }

    private static long binomial(int n, int k) {
        if (k < 0 || k > n) {
            return 0;
        }
        long c = 1;
        for (int i = 1; i <= k; i++) {
            c = c * (n - k + i) / i;
        }
        return c;
    }
}
