package dev.vitex.core.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.vitex.core.aggregate.MomentAccumulator;
import dev.vitex.core.eval.EvaluationRequest;
import dev.vitex.core.eval.Samples;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a gradient method finds the scores it reports, f(x) and for path methods f(b). A method
 * sample that is exactly x gives f(x) from its own forward + backward, so no separate pass is spent
 * on it (saliency: one pass per image). Any other point is evaluated in a no-grad forward request of
 * its own, packed with the other images' into full batches: appending such points to the gradient
 * batches instead would add a wasted backward for each (see methods.md § Model passes).
 *
 * @param sampleOf for each scored point (x, then b), the index of the method sample that is exactly
 *     it, or −1 when it needs a forward pass of its own
 */
record ScoredPoints(int[] sampleOf) {

    /**
     * @param inputSample index of a method sample that is exactly x, or −1
     * @param withReference whether f(b) is reported too
     */
    static ScoredPoints of(int inputSample, boolean withReference) {
        return new ScoredPoints(withReference ? new int[] {inputSample, -1} : new int[] {inputSample});
    }

    /** Scored points that need their own forward pass. */
    int forwardPasses() {
        int k = 0;
        for (int s : sampleOf) {
            k += s < 0 ? 1 : 0;
        }
        return k;
    }

    /** Results [from, from + k) of the gradient request: all accumulated; the scores of points among them kept. */
    void acceptGradients(int from, NDArray scoreArray, NDArray values, MomentAccumulator moments, float[] scores) {
        moments.add(values);
        int k = (int) scoreArray.size();
        float[] s = null;
        for (int p = 0; p < sampleOf.length; p++) {
            if (sampleOf[p] >= from && sampleOf[p] < from + k) {
                s = s == null ? scoreArray.toFloatArray() : s;
                scores[p] = s[sampleOf[p] - from];
            }
        }
    }

    /** The no-grad request for the points no method sample covers (x and/or b), or null when none is left. */
    EvaluationRequest forwardRequest(int target, GradientImage image, float[] scores) {
        List<Integer> missing = new ArrayList<>();
        for (int p = 0; p < sampleOf.length; p++) {
            if (sampleOf[p] < 0) {
                missing.add(p);
            }
        }
        if (missing.isEmpty()) {
            return null;
        }
        return new EvaluationRequest(target, missing.size(),
                (scope, from, to) -> Samples.of(inputs(scope, image, missing.subList(from, to))),
                (from, s, values) -> {
                    float[] got = s.toFloatArray();
                    for (int i = 0; i < got.length; i++) {
                        scores[missing.get(from + i)] = got[i];
                    }
                });
    }

    /** Point 0 is x, point 1 the reference b. */
    private static NDArray inputs(NDManager scope, GradientImage image, List<Integer> points) {
        NDArray out = null;
        for (int p : points) {
            NDArray one = p == 0 ? image.x(scope) : image.reference(scope);
            out = out == null ? one : out.concat(one);
        }
        return out;
    }
}
