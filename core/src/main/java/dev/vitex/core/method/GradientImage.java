package dev.vitex.core.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vitex.core.model.EngineArrays;
import dev.vitex.core.perturb.SeedSequence;

/**
 * One image as gradient methods see it: its input x, an optional reference b (baseline), and its
 * random streams. Arrays are created in the caller's scope, so nothing outlives a batch.
 */
record GradientImage(float[] x, float[] reference, int channels, int height, int width, SeedSequence seeds) {

    Shape shape(int k) {
        return new Shape(k, channels, height, width);
    }

    NDArray x(NDManager scope) {
        return EngineArrays.floats(scope, x, shape(1));
    }

    NDArray reference(NDManager scope) {
        return EngineArrays.floats(scope, reference, shape(1));
    }

    /** Standard normal noise for samples [from, to), each sample from its own stream. */
    NDArray gaussian(NDManager scope, int from, int to) {
        int size = x.length;
        float[] noise = new float[(to - from) * size];
        float[] one = new float[size];
        for (int i = from; i < to; i++) {
            SeedSequence.gaussian(seeds.sample(i), one);
            System.arraycopy(one, 0, noise, (i - from) * size, size);
        }
        return EngineArrays.floats(scope, noise, shape(to - from));
    }

    /** One value per sample in [from, to), shaped (k, 1, 1, 1) to broadcast over an image. */
    static NDArray perSample(NDManager scope, double[] values, int from, int to) {
        float[] v = new float[to - from];
        for (int i = from; i < to; i++) {
            v[i - from] = (float) values[i];
        }
        return EngineArrays.floats(scope, v, new Shape(to - from, 1, 1, 1));
    }
}
