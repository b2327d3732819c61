package dev.vitex.core.perturb;

/**
 * The masks one mask method evaluates for one image, and how their scores become unit scores.
 * Masks are {@link #maskRows()} × {@link #maskCols()} values in [0, 1] (1 = removed); mask i must
 * depend only on i and the image's seed, never on batching.
 */
public interface MaskPlan {
    int count();

    int maskRows();

    int maskCols();

    /** Number of mask cells, {@code maskRows × maskCols}. */
    default int units() {
        return maskRows() * maskCols();
    }

    /** Writes mask {@code i} into {@code mask} (length maskRows × maskCols, zeroed by the caller). */
    void fill(int i, float[] mask);

    /** Unit scores (on the method's grid) from the target scores of all {@code count()} masks. */
    MaskResult aggregate(float[] scores);

    /** @param completenessGap Σ A − (f(x) − f(reference)) where the method has that axiom, else null */
    record MaskResult(float[] scores, float targetScore, Double completenessGap) {}
}
