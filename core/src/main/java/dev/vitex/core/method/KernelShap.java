package dev.vitex.core.method;

import dev.vitex.core.aggregate.ConstrainedLeastSquares;
import dev.vitex.core.aggregate.NormalEquations;
import dev.vitex.core.grid.UnitGrid;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.perturb.MaskPlan;
import dev.vitex.core.perturb.SeedSequence;
import dev.vitex.core.perturb.ShapleyCoalitionSampler;
import java.util.Arrays;

/**
 * KernelSHAP (Lundberg & Lee 2017): the reference (nothing removed), everything removed, and n
 * coalitions from the Shapley kernel ({@link ShapleyCoalitionSampler}: whole size classes while
 * the budget allows, the rest drawn in antithetic pairs); then weighted least squares of
 * {@code f(z) − f(nothing kept)} on the kept-indicators under the efficiency constraint
 * {@code Σ_j A_j = f(x) − f(everything removed)}, solved exactly. For an additive model the
 * result is its per-unit terms exactly; when every coalition fits in n (g ≤ 9 with the default)
 * it is the exact Shapley value, from fewer passes. Cost n + 2 passes at most. [differs:
 * interpreto fits an unconstrained, unweighted ridge and does not pair samples.]
 */
public final class KernelShap extends MaskExplainer {
    public static final String NAME = "kernel_shap";
    private final int n;

    public KernelShap(ParamReader params, ModelCard card) {
        super(NAME, params, card);
        this.n = params.integer("n", 1000, 2, Integer.MAX_VALUE - 2);
        PassBudget budget = new PassBudget(params, card, cellSize());
        params.finish();
        int g = budget.units();
        if (g < 2) {
            throw params.error("cell_size", "leaves a single unit (cell_size " + cellSize() + " on a "
                    + card.inputHeight() + "×" + card.inputWidth() + " input); kernel_shap needs ≥ 2 units");
        }
        if (!budget.fits(n + 2L)) {
            throw params.error("n", "costs n + 2 = " + PassBudget.count(n + 2L) + " model passes per image, above "
                    + "max_passes_per_image = " + PassBudget.count(budget.maxPasses())
                    + "; lower n or raise kernel_shap.max_passes_per_image");
        }
        if (n < minimumSamples(g)) {
            throw params.error("n", "is too small for " + PassBudget.count(g) + " units (cell_size " + cellSize()
                    + "): kernel_shap evaluates every unit removed alone and kept alone (the Shapley kernel's "
                    + "heaviest coalitions), which is what identifies all g values under the efficiency constraint, "
                    + "so it needs n ≥ 2g = " + PassBudget.count(minimumSamples(g)) + ", got n = " + n
                    + (budget.fits(minimumSamples(g) + 2L) ? "; raise n" : "")
                    + "; or " + budget.suggestion(NAME, units -> minimumSamples(units) <= Math.min(n, budget.maxPasses() - 2L)));
        }
    }

    /** The singleton coalitions and their complements: 2g, or both coalitions of 2 units. */
    static long minimumSamples(int units) {
        return units == 2 ? 2 : 2L * units;
    }

    @Override
    protected MaskPlan plan(ExplainContext context, UnitGrid grid, SeedSequence seeds) {
        return new Plan(grid.rows(), grid.cols(), new ShapleyCoalitionSampler(seeds, grid.size(), n));
    }

    @Override
    protected boolean stochastic() {
        return true;
    }

    @Override
    protected void describe(CanonicalParams params) {
        params.put("n", n);
    }

    /** Mask 0 removes nothing, mask 1 everything, masks 2.. are the sampled coalitions. */
    private record Plan(int maskRows, int maskCols, ShapleyCoalitionSampler sampler) implements MaskPlan {
        @Override
        public int count() {
            return sampler.count() + 2;
        }

        @Override
        public void fill(int i, float[] mask) {
            if (i == 1) {
                Arrays.fill(mask, 1f);
            } else if (i > 1) {
                sampler.fill(i - 2, mask);
            }
        }

        @Override
        public MaskResult aggregate(float[] scores) {
            int g = units();
            double full = scores[0];
            double empty = scores[1];
            NormalEquations eq = new NormalEquations(g);
            float[] mask = new float[g];
            float[] kept = new float[g];
            for (int i = 2; i < count(); i++) {
                Arrays.fill(mask, 0f);
                fill(i, mask);
                for (int j = 0; j < g; j++) {
                    kept[j] = 1f - mask[j];
                }
                eq.add(kept, scores[i] - empty, sampler.weight(i - 2));
            }
            double[] phi = ConstrainedLeastSquares.solve(eq, full - empty);
            float[] a = new float[g];
            double total = 0;
            for (int j = 0; j < g; j++) {
                a[j] = (float) phi[j];
                total += a[j];
            }
            return new MaskResult(a, scores[0], total - (full - empty));
        }
    }
}
