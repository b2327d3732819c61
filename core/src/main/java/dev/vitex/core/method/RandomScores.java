package dev.vitex.core.method;

import dev.vitex.core.grid.UnitGrid;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.perturb.MaskPlan;
import dev.vitex.core.perturb.SeedSequence;
import java.util.SplittableRandom;

/**
 * {@code random}: independent uniform [0, 1) scores per unit from the image's seed — the baseline
 * faithfulness figures should be read against. One pass scores the unperturbed image (the row's
 * target score); the baseline and mask parameters it inherits do not affect the scores.
 */
public final class RandomScores extends MaskExplainer {
    public static final String NAME = "random";

    public RandomScores(ParamReader params, ModelCard card) {
        super(NAME, params, card);
        params.finish();
    }

    /** Random scores exist at any granularity. */
    @Override
    protected UnitGrid pixelGrid(ExplainContext context) {
        return UnitGrid.pixels(context.inputHeight(), context.inputWidth());
    }

    @Override
    protected MaskPlan plan(ExplainContext context, UnitGrid grid, SeedSequence seeds) {
        return new Plan(grid.size(), seeds);
    }

    @Override
    protected boolean stochastic() {
        return true;
    }

    @Override
    protected void describe(CanonicalParams params) {
        // no parameters of its own
    }

    /** One mask, removing nothing; the scores come from the image's stream. */
    private record Plan(int units, SeedSequence seeds) implements MaskPlan {
        @Override
        public int count() {
            return 1;
        }

        @Override
        public int maskRows() {
            return 1;
        }

        @Override
        public int maskCols() {
            return 1;
        }

        @Override
        public void fill(int i, float[] mask) {
            // the unperturbed image
        }

        @Override
        public MaskResult aggregate(float[] scores) {
            SplittableRandom rng = seeds.named("random-scores");
            float[] out = new float[units];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) rng.nextDouble();
            }
            return new MaskResult(out, scores[0], null);
        }
    }
}
