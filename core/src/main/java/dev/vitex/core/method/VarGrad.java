package dev.vitex.core.method;

import dev.vitex.core.aggregate.Statistic;

/** VarGrad (Adebayo et al. 2018): the unbiased variance (divisor n − 1) of the gradient maps of noisy copies. */
public final class VarGrad extends NoiseTunnel {
    public static final String NAME = "var_grad";

    public VarGrad(ParamReader params) {
        super(NAME, params, 2);
    }

    @Override
    protected Statistic statistic() {
        return Statistic.VARIANCE;
    }
}
