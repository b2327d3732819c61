package dev.vitex.core.method;

import dev.vitex.core.aggregate.NormalEquations;
import dev.vitex.core.aggregate.WeightedRidge;
import dev.vitex.core.grid.UnitGrid;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.perturb.MaskPlan;
import dev.vitex.core.perturb.RandomMaskSampler;
import dev.vitex.core.perturb.SeedSequence;
import java.util.Arrays;

/**
 * LIME for images (Ribeiro et al. 2016), as its reference implementation ({@code lime_image})
 * computes it: the first sample is the original image, the other n − 1 remove each unit with
 * probability p; a weighted ridge regression (λ on the coefficients only, intercept free) of the
 * target score on the kept-indicators 1 − G gives one coefficient per unit. Sample weights are
 * {@code sqrt(exp(−d² / w²))} with d the cosine distance between the kept-indicator and all-ones
 * (the original). [differs: interpreto measures the distance to the removed-indicator with width
 * 0.75·√g, which makes every weight ≈ 1.]
 */
public final class Lime extends MaskExplainer {
    public static final String NAME = "lime";
    private final int n;
    private final double removeProbability;
    private final double kernelWidth;
    private final double ridge;

    public Lime(ParamReader params, ModelCard card) {
        super(NAME, params, card);
        this.n = params.integer("n", 1000, 2, Integer.MAX_VALUE);
        this.removeProbability = params.number("remove_probability", 0.5, 0.0, 1.0, false);
        if (removeProbability >= 1.0) {
            throw params.error("remove_probability", "must be in (0, 1): with 1 every sample removes everything, got "
                    + removeProbability);
        }
        this.kernelWidth = params.number("kernel_width", 0.25, 0.0, Double.MAX_VALUE, false);
        this.ridge = params.number("ridge", 1.0, 0.0, Double.MAX_VALUE, true);
        PassBudget budget = new PassBudget(params, card, cellSize());
        params.finish();
        if (!budget.fits(n)) {
            throw params.error("n", "costs " + PassBudget.count(n) + " model passes per image, above max_passes_per_image = "
                    + PassBudget.count(budget.maxPasses()) + "; lower n or raise lime.max_passes_per_image");
        }
        int g = budget.units();
        if (n < g + 1) {
            throw params.error("n", "is too small for " + PassBudget.count(g) + " units (cell_size " + cellSize()
                    + "): lime fits one coefficient per unit plus the intercept, " + PassBudget.count(g + 1)
                    + " values, so it needs n ≥ " + PassBudget.count(g + 1) + " samples, got n = " + n
                    + (budget.fits(g + 1L) ? "; raise n" : "")
                    + "; or " + budget.suggestion(NAME, units -> units + 1 <= Math.min(n, budget.maxPasses())));
        }
    }

    @Override
    protected MaskPlan plan(ExplainContext context, UnitGrid grid, SeedSequence seeds) {
        return new Plan(grid.rows(), grid.cols(), n, new RandomMaskSampler(seeds, grid.size(), removeProbability),
                kernelWidth, ridge);
    }

    @Override
    protected boolean stochastic() {
        return true;
    }

    @Override
    protected void describe(CanonicalParams params) {
        params.put("n", n).put("remove_probability", removeProbability).put("kernel_width", kernelWidth)
                .put("ridge", ridge);
    }

    /** LIME's kernel on the cosine distance between a kept-indicator with {@code kept} ones and all-ones. */
    static double weight(int kept, int units, double kernelWidth) {
        // cos(z, 1) = |z| / (√|z| √g) = √(|z| / g); an empty z has cosine 0 (scikit-learn's convention).
        double d = kept == 0 ? 1.0 : 1.0 - Math.sqrt((double) kept / units);
        return Math.sqrt(Math.exp(-d * d / (kernelWidth * kernelWidth)));
    }

    /** Mask 0 is the original; masks 1..n−1 are random removals. */
    private record Plan(int maskRows, int maskCols, int n, RandomMaskSampler sampler, double kernelWidth, double ridge)
            implements MaskPlan {
        @Override
        public int count() {
            return n;
        }

        @Override
        public void fill(int i, float[] mask) {
            if (i > 0) {
                sampler.fill(i, mask);
            }
        }

        @Override
        public MaskResult aggregate(float[] scores) {
            int g = units();
            NormalEquations eq = new NormalEquations(g);
            float[] mask = new float[g];
            float[] kept = new float[g];
            for (int i = 0; i < n; i++) {
                Arrays.fill(mask, 0f);
                fill(i, mask);
                int count = 0;
                for (int j = 0; j < g; j++) {
                    kept[j] = 1f - mask[j];
                    count += (int) kept[j];
                }
                eq.add(kept, scores[i], weight(count, g, kernelWidth));
            }
            return new MaskResult(WeightedRidge.solve(eq, ridge).coefficientsAsFloats(), scores[0], null);
        }
    }
}
