package dev.vitex.core.aggregate;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Attention rollout's {@code discard_ratio} (jacobgil/vit-explain): in every T × T matrix of a
 * stack, the ⌊T²·ratio⌋ lowest weights are set to zero, except entry 0 (CLS→CLS), which is never
 * dropped even when it is among them. Ties go in index order (a stable sort), as torch's stable
 * sort does in the reference.
 */
public final class LowestWeights {
    private LowestWeights() {}

    /** Zeroes in place; {@code values} holds consecutive matrices of {@code size} = T² entries. */
    public static void discard(float[] values, int size, double ratio) {
        if (values.length % size != 0) {
            throw new IllegalArgumentException(values.length + " values are not whole matrices of " + size);
        }
        int count = (int) Math.floor(size * ratio);
        for (int start = 0; start < values.length; start += size) {
            int base = start;
            Integer[] order = IntStream.range(0, size).boxed().toArray(Integer[]::new);
            Arrays.sort(order, Comparator.comparingDouble(i -> values[base + i]));
            for (int k = 0; k < count; k++) {
                if (order[k] != 0) {
                    values[base + order[k]] = 0f;
                }
            }
        }
    }
}
