package dev.vitex.core.metric;

/**
 * Deletion (Petsiuk et al. 2018): starting from the clean image, remove the highest-ranked units
 * first. A faithful map makes the target's probability fall fast: lower AUC is better.
 */
public final class Deletion implements PerturbationCurve {
    public static final Deletion INSTANCE = new Deletion();

    private Deletion() {}

    @Override
    public String name() {
        return "deletion";
    }

    @Override
    public void fill(int[] ranking, int count, float[] mask) {
        for (int i = 0; i < count; i++) {
            mask[ranking[i]] = 1f;
        }
    }
}
