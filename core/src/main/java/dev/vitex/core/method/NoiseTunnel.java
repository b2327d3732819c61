package dev.vitex.core.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.vitex.core.aggregate.Statistic;
import dev.vitex.core.eval.Samples;

/**
 * The common body of SmoothGrad, VarGrad and SquareGrad: gradients at {@code z_i = x + σ ε_i}
 * (ε ~ N(0, 1) per channel and pixel), times z_i for input × gradient, reduced by a statistic.
 */
abstract class NoiseTunnel extends GradientExplainer {
    private final int n;
    private final double noiseStd;
    private final boolean inputXGradient;

    NoiseTunnel(String name, ParamReader params, int minSamples) {
        super(name, params);
        this.n = params.integer("n", 10, minSamples, 1_000_000);
        this.noiseStd = params.number("noise_std", 0.1, 0.0, Double.MAX_VALUE, true);
        this.inputXGradient = params.bool("input_x_gradient", true);
        params.finish();
    }

    @Override
    protected final int sampleCount() {
        return n;
    }

    @Override
    protected abstract Statistic statistic();

    @Override
    protected final boolean stochastic() {
        return true;
    }

    @Override
    protected final Samples samples(NDManager scope, GradientImage image, int from, int to) {
        NDArray z = image.gaussian(scope, from, to).mul(noiseStd).add(image.x(scope));
        return new Samples(z, inputXGradient ? z : null);
    }

    @Override
    protected final void describe(CanonicalParams params) {
        params.put("n", n).put("noise_std", noiseStd).put("input_x_gradient", inputXGradient);
    }
}
