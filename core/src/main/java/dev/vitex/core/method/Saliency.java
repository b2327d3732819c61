package dev.vitex.core.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.vitex.core.aggregate.Statistic;
import dev.vitex.core.eval.Samples;

/** Saliency: the input gradient ∇f_c(x), times the input by default (input × gradient). */
public final class Saliency extends GradientExplainer {
    public static final String NAME = "saliency";
    private final boolean inputXGradient;

    public Saliency(ParamReader params) {
        super(NAME, params);
        this.inputXGradient = params.bool("input_x_gradient", true);
        params.finish();
    }

    @Override
    protected int sampleCount() {
        return 1;
    }

    /** The one sample is x itself: its forward + backward gives f(x) too (one pass per image). */
    @Override
    protected int inputSample() {
        return 0;
    }

    @Override
    protected Statistic statistic() {
        return Statistic.MEAN;
    }

    @Override
    protected Samples samples(NDManager scope, GradientImage image, int from, int to) {
        NDArray x = image.x(scope);
        return new Samples(x, inputXGradient ? x : null);
    }

    @Override
    protected void describe(CanonicalParams params) {
        params.put("input_x_gradient", inputXGradient);
    }
}
