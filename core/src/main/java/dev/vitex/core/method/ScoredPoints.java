package dev.vitex.core.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.vitex.core.aggregate.MomentAccumulator;
import dev.vitex.core.eval.Samples;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a gradient request finds the scores it reports, f(x) and for path methods f(b), so that no
 * separate forward batch is needed: a method sample that is exactly x gives f(x) from its own
 * forward + backward (saliency: one pass per image); any other point is appended to the request as
 * an extra sample after the method's n samples (its gradient is computed and dropped, its score
 * kept). The extra samples ride in the same model batches as the gradient samples.
 *
 * @param methodSamples n, the method's own samples (indices 0..n−1, accumulated)
 * @param points the sample index of each scored point, in report order: x, then b
 * @param isInput whether each scored point is x (else it is the reference b)
 */
record ScoredPoints(int methodSamples, int[] points, boolean[] isInput) {

    /**
     * @param inputSample index of a method sample that is exactly x, or −1
     * @param withReference whether f(b) is reported too
     */
    static ScoredPoints of(int methodSamples, int inputSample, boolean withReference) {
        int next = methodSamples;
        int x = inputSample >= 0 ? inputSample : next++;
        return withReference
                ? new ScoredPoints(methodSamples, new int[] {x, next}, new boolean[] {true, false})
                : new ScoredPoints(methodSamples, new int[] {x}, new boolean[] {true});
    }

    /** Samples per request: the method's plus the appended points; every one is a model pass. */
    int total() {
        int total = methodSamples;
        for (int p : points) {
            total = Math.max(total, p + 1);
        }
        return total;
    }

    /** The inputs [from, to): the method's samples, then x or b for the appended indices. */
    Samples make(NDManager scope, GradientImage image, int from, int to, MethodSamples method) {
        int split = Math.min(to, methodSamples);
        Samples own = from < split ? method.make(scope, from, split) : null;
        List<NDArray> extra = new ArrayList<>();
        for (int i = Math.max(from, methodSamples); i < to; i++) {
            extra.add(isInput[indexOf(i)] ? image.x(scope) : image.reference(scope));
        }
        if (extra.isEmpty()) {
            return own;
        }
        NDArray extraInputs = concat(extra);
        if (own == null) {
            return Samples.of(extraInputs);
        }
        NDArray inputs = own.inputs().concat(extraInputs);
        if (own.multiplier() == null) {
            return Samples.of(inputs);
        }
        // The appended samples' gradients are dropped; a zero multiplier keeps the shapes aligned.
        NDArray m = own.multiplier().getShape().equals(own.inputs().getShape())
                ? own.multiplier() : own.multiplier().broadcast(own.inputs().getShape());
        return new Samples(inputs, m.concat(extraInputs.zerosLike()));
    }

    /** Routes results [from, from + k): method samples to the accumulator, scored points to {@code scores}. */
    void accept(int from, NDArray scoreArray, NDArray values, MomentAccumulator moments, float[] scores) {
        int k = (int) scoreArray.size();
        int own = Math.max(0, Math.min(k, methodSamples - from));
        if (own == k) {
            moments.add(values);
        } else if (own > 0) {
            moments.add(values.get(new NDIndex("0:{}", own)));
        }
        float[] s = null;
        for (int p = 0; p < points.length; p++) {
            if (points[p] >= from && points[p] < from + k) {
                s = s == null ? scoreArray.toFloatArray() : s;
                scores[p] = s[points[p] - from];
            }
        }
    }

    private int indexOf(int sample) {
        for (int p = 0; p < points.length; p++) {
            if (points[p] == sample) {
                return p;
            }
        }
        throw new IllegalStateException("sample " + sample + " is neither a method sample nor a scored point");
    }

    private static NDArray concat(List<NDArray> parts) {
        NDArray out = parts.get(0);
        for (int i = 1; i < parts.size(); i++) {
            out = out.concat(parts.get(i));
        }
        return out;
    }

    /** The method's own sample source. */
    @FunctionalInterface
    interface MethodSamples {
        Samples make(NDManager scope, int from, int to);
    }
}
