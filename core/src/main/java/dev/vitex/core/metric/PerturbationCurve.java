package dev.vitex.core.metric;

/** Which units a deletion or insertion curve removes when its top {@code count} ranked units are affected. */
public interface PerturbationCurve {
    /** "deletion" or "insertion". */
    String name();

    /**
     * Writes the unit mask (1 = removed, 0 = kept; zeroed by the caller) of the step at which the
     * first {@code count} units of {@code ranking} are affected.
     */
    void fill(int[] ranking, int count, float[] mask);
}
