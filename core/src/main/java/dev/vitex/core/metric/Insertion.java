package dev.vitex.core.metric;

import java.util.Arrays;

/**
 * Insertion (Petsiuk et al. 2018): starting from the fully removed image (every unit replaced by
 * the baseline), restore the highest-ranked units first. A faithful map makes the target's
 * probability rise fast: higher AUC is better.
 */
public final class Insertion implements PerturbationCurve {
    public static final Insertion INSTANCE = new Insertion();

    private Insertion() {}

    @Override
    public String name() {
        return "insertion";
    }

    @Override
    public void fill(int[] ranking, int count, float[] mask) {
        Arrays.fill(mask, 1f);
        for (int i = 0; i < count; i++) {
            mask[ranking[i]] = 0f;
        }
    }
}
