package dev.vitex.core.method;

import dev.vitex.core.aggregate.Statistic;

/** SmoothGrad (Smilkov et al. 2017): the mean of the gradient maps of noisy copies of the input. */
public final class SmoothGrad extends NoiseTunnel {
    public static final String NAME = "smooth_grad";

    public SmoothGrad(ParamReader params) {
        super(NAME, params, 1);
    }

    @Override
    protected Statistic statistic() {
        return Statistic.MEAN;
    }
}
