package dev.vitex.core.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.vitex.core.aggregate.Statistic;
import dev.vitex.core.eval.Samples;
import dev.vitex.core.perturb.Baseline;
import dev.vitex.core.perturb.SeedSequence;

/**
 * GradientShap in the expected-gradients form (Lundberg & Lee 2017): noisy baselines
 * {@code b_i = b + σ ε_i}, {@code α_i ~ U[0, 1)}, {@code z_i = b_i + α_i (x − b_i)}, and the mean of
 * {@code ∇f_c(z_i) ⊙ (x − b_i)}. ε_i comes from sample stream i, α_i from stream i of a sequence
 * derived for α alone (methods.md § Seeding). [differs from interpreto the same way as
 * IntegratedGradients.]
 */
public final class GradientShap extends GradientExplainer {
    public static final String NAME = "gradient_shap";
    private static final String ALPHA_PURPOSE = "gradient_shap-alpha";
    private final int n;
    private final double noiseStd;
    private final Baseline baseline;

    public GradientShap(ParamReader params, int channels) {
        super(NAME, params);
        this.n = params.integer("n", 10, 1, 1_000_000);
        this.noiseStd = params.number("noise_std", 0.1, 0.0, Double.MAX_VALUE, true);
        this.baseline = params.baseline(channels);
        params.finish();
    }

    @Override
    protected int sampleCount() {
        return n;
    }

    @Override
    protected Statistic statistic() {
        return Statistic.MEAN;
    }

    @Override
    protected Baseline baseline() {
        return baseline;
    }

    @Override
    protected boolean stochastic() {
        return true;
    }

    @Override
    protected Samples samples(NDManager scope, GradientImage image, int from, int to) {
        double[] alphas = new double[to];
        SeedSequence alphaSeeds = image.seeds().derive(ALPHA_PURPOSE);
        for (int i = from; i < to; i++) {
            // α_i: stream i of a sequence derived for α alone, apart from the noise streams; batching cannot change it.
            alphas[i] = alphaSeeds.sample(i).nextDouble();
        }
        NDArray x = image.x(scope);
        NDArray bi = image.gaussian(scope, from, to).mul(noiseStd).add(image.reference(scope));
        NDArray delta = x.sub(bi);
        NDArray z = GradientImage.perSample(scope, alphas, from, to).mul(delta).add(bi);
        return new Samples(z, delta);
    }

    @Override
    protected void describe(CanonicalParams params) {
        params.put("n", n).put("noise_std", noiseStd).put("baseline", baseline.text());
    }
}
