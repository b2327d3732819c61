package dev.vitex.core.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.vitex.core.aggregate.Statistic;
import dev.vitex.core.eval.Samples;
import dev.vitex.core.perturb.Baseline;
import dev.vitex.core.perturb.PathRule;
import java.util.List;

/**
 * Textbook IntegratedGradients (Sundararajan et al. 2017): {@code (x − b) ⊙ Σ_i w_i ∇f_c(b + α_i (x − b))}
 * with quadrature nodes (α_i, w_i), so that Σ A ≈ f_c(x) − f_c(b); the gap is reported.
 * [differs from interpreto, which drops the (x − b) factor and nudges a zero baseline.]
 */
public final class IntegratedGradients extends GradientExplainer {
    public static final String NAME = "integrated_gradients";
    private final int steps;
    private final PathRule rule;
    private final Baseline baseline;
    private final double[] alphas;
    private final double[] weights;

    public IntegratedGradients(ParamReader params, int channels) {
        super(NAME, params);
        this.steps = params.integer("steps", 50, 1, 100_000);
        this.rule = PathRule.parse(params.choice("rule", "gauss_legendre",
                List.of("gauss_legendre", "trapezoid", "riemann_left", "riemann_right", "riemann_middle")));
        if (rule == PathRule.TRAPEZOID && steps < 2) {
            throw params.error("steps", "must be ≥ 2 with rule trapezoid, got " + steps);
        }
        this.baseline = params.baseline(channels);
        params.finish();
        double[][] nodes = rule.nodes(steps);
        this.alphas = nodes[0];
        this.weights = nodes[1];
    }

    @Override
    protected int sampleCount() {
        return steps;
    }

    @Override
    protected Statistic statistic() {
        return Statistic.SUM;
    }

    @Override
    protected Baseline baseline() {
        return baseline;
    }

    @Override
    protected boolean hasCompleteness() {
        return true;
    }

    @Override
    protected Samples samples(NDManager scope, GradientImage image, int from, int to) {
        NDArray b = image.reference(scope);
        NDArray delta = image.x(scope).sub(b);
        NDArray z = GradientImage.perSample(scope, alphas, from, to).mul(delta).add(b);
        NDArray multiplier = GradientImage.perSample(scope, weights, from, to).mul(delta);
        return new Samples(z, multiplier);
    }

    @Override
    protected void describe(CanonicalParams params) {
        params.put("steps", steps).put("rule", rule.cliName()).put("baseline", baseline.text());
    }
}
