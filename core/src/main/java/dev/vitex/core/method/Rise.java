package dev.vitex.core.method;

import dev.vitex.core.grid.UnitGrid;
import dev.vitex.core.image.ResampleFilter;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.perturb.MaskPlan;
import dev.vitex.core.perturb.RiseMasks;
import dev.vitex.core.perturb.SeedSequence;
import java.util.List;
import java.util.function.IntFunction;

/**
 * RISE (Petsiuk et al. 2018): n random masks M_i ({@link RiseMasks}: an s × s grid kept with
 * probability p, upsampled bilinearly with a random shift), applied with the baseline b as
 * x ⊙ M + b ⊙ (1 − M); the pixel saliency is Σ f(x ⊙ M_i)·M_i / (n·p), and a PATCH cell's score is
 * its pixels' mean. Mask i draws from sample stream i of the image's seed; one more pass scores
 * the unperturbed image (the row's target score).
 */
public final class Rise extends MaskExplainer {
    public static final String NAME = "rise";
    private final int n;
    private final int s;
    private final double keepProbability;
    private final List<RiseMasks.Draw> fixedDraws;

    public Rise(ParamReader params, ModelCard card) {
        this(params, card, null);
    }

    /** RISE on given mask draws instead of seeded ones (the torch reference test); n = their count. */
    static Rise withDraws(ParamReader params, ModelCard card, List<RiseMasks.Draw> draws) {
        return new Rise(params, card, List.copyOf(draws));
    }

    private Rise(ParamReader params, ModelCard card, List<RiseMasks.Draw> fixedDraws) {
        super(NAME, params, card);
        this.n = fixedDraws != null ? fixedDraws.size() : params.integer("n", 4000, 1, Integer.MAX_VALUE);
        this.s = params.integer("s", 7, 1, Math.min(card.inputHeight(), card.inputWidth()));
        this.keepProbability = params.number("keep_probability", 0.5, 0.0, 1.0, false);
        if (keepProbability >= 1.0) {
            throw params.error("keep_probability", "must be in (0, 1): with 1 no mask removes anything, got "
                    + keepProbability);
        }
        PassBudget budget = new PassBudget(params, card, cellSize());
        params.finish();
        if (!budget.fits(n + 1L)) {
            throw params.error("n", "costs " + PassBudget.count(n + 1L) + " model passes per image, above "
                    + "max_passes_per_image = " + PassBudget.count(budget.maxPasses())
                    + "; lower n or raise rise.max_passes_per_image");
        }
        this.fixedDraws = fixedDraws;
    }

    /** RISE's saliency is per pixel whatever the cell size. */
    @Override
    protected UnitGrid pixelGrid(ExplainContext context) {
        return UnitGrid.pixels(context.inputHeight(), context.inputWidth());
    }

    @Override
    protected MaskPlan plan(ExplainContext context, UnitGrid grid, SeedSequence seeds) {
        RiseMasks masks = new RiseMasks(s, keepProbability, context.inputHeight(), context.inputWidth());
        return new Plan(grid, n, keepProbability, masks,
                i -> fixedDraws != null ? fixedDraws.get(i - 1) : masks.draw(seeds.sample(i)));
    }

    @Override
    protected boolean stochastic() {
        return fixedDraws == null;
    }

    @Override
    protected void describe(CanonicalParams params) {
        params.put("n", n).put("s", s).put("keep_probability", keepProbability);
    }

    /** Mask 0 is the unperturbed image; mask i ≥ 1 removes 1 − M_i. */
    private record Plan(UnitGrid grid, int n, double keepProbability, RiseMasks masks,
            IntFunction<RiseMasks.Draw> draws) implements MaskPlan {
        @Override
        public int count() {
            return n + 1;
        }

        @Override
        public int maskRows() {
            return grid.inputHeight();
        }

        @Override
        public int maskCols() {
            return grid.inputWidth();
        }

        @Override
        public void fill(int i, float[] mask) {
            if (i > 0) {
                masks.fill(draws.apply(i), mask);
                for (int p = 0; p < mask.length; p++) {
                    mask[p] = 1f - mask[p];
                }
            }
        }

        @Override
        public MaskResult aggregate(float[] scores) {
            double[] saliency = new double[units()];
            float[] keep = new float[units()];
            for (int i = 1; i <= n; i++) {
                masks.fill(draws.apply(i), keep);
                for (int p = 0; p < keep.length; p++) {
                    saliency[p] += (double) scores[i] * keep[p];
                }
            }
            float[] pixels = new float[saliency.length];
            for (int p = 0; p < pixels.length; p++) {
                pixels[p] = (float) (saliency[p] / (n * keepProbability));
            }
            return new MaskResult(grid.fromPixels(pixels, ResampleFilter.AREA), scores[0], null);
        }
    }
}
