package dev.vitex.core.metric;

import java.util.Arrays;
import java.util.Comparator;

/** Units ordered by score, highest first; ties keep grid order and NaN scores go last, so the order is deterministic. */
public final class UnitRanking {
    private UnitRanking() {}

    public static int[] descending(float[] scores) {
        Integer[] order = new Integer[scores.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> Float.isNaN(scores[i]) ? Double.POSITIVE_INFINITY : -scores[i])
                .thenComparingInt(i -> Float.isNaN(scores[i]) ? 1 : 0)
                .thenComparingInt(i -> i));
        int[] out = new int[order.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = order[i];
        }
        return out;
    }
}
