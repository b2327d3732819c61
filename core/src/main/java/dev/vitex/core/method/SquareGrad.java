package dev.vitex.core.method;

import dev.vitex.core.aggregate.Statistic;

/** SquareGrad (Hooker et al. 2019): the mean of the squared gradient maps of noisy copies. */
public final class SquareGrad extends NoiseTunnel {
    public static final String NAME = "square_grad";

    public SquareGrad(ParamReader params) {
        super(NAME, params, 1);
    }

    @Override
    protected Statistic statistic() {
        return Statistic.MEAN_OF_SQUARES;
    }
}
