package dev.vitex.core.perturb;

import java.util.SplittableRandom;

/**
 * LIME's perturbations: every unit is removed independently with probability {@code p}. Sample i
 * draws from its own stream of the image's {@link SeedSequence}, so it is the same whichever model
 * batch it lands in.
 */
public final class RandomMaskSampler {
    private final SeedSequence seeds;
    private final int units;
    private final double removeProbability;

    public RandomMaskSampler(SeedSequence seeds, int units, double removeProbability) {
        if (!(removeProbability > 0 && removeProbability < 1)) {
            throw new IllegalArgumentException("remove probability must be in (0, 1), got " + removeProbability);
        }
        this.seeds = seeds;
        this.units = units;
        this.removeProbability = removeProbability;
    }

    /** Writes sample {@code i} into {@code mask} (1 = removed, 0 = kept; length = units). */
    public void fill(long i, float[] mask) {
        SplittableRandom rng = seeds.sample(i);
        for (int j = 0; j < units; j++) {
            mask[j] = rng.nextDouble() < removeProbability ? 1f : 0f;
        }
    }
}
