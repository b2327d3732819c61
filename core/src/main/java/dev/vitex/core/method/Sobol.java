package dev.vitex.core.method;

import dev.vitex.core.aggregate.SobolIndices;
import dev.vitex.core.grid.UnitGrid;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.perturb.MaskPlan;
import dev.vitex.core.perturb.SeedSequence;
import dev.vitex.core.perturb.SobolDesign;
import java.util.List;

/**
 * Sobol attribution (Fel et al. 2021): unit masks from a scrambled Sobol' design — matrices A and
 * B (k designs each) and C_j = A with column j from B — and per-unit Sobol' indices of the target
 * score: total order (Jansen, default) or first order (Saltelli 2010; interpreto uses Jansen's), see
 * {@link SobolIndices}. Costs (g + 2)·k passes, plus one for the unperturbed input whose score is
 * the row's target score.
 *
 * <p>A design value u ∈ [0, 1) is the fraction of a unit that is KEPT (Fel et al.'s inpainting
 * {@code x·u}): {@code mask_values = continuous} removes 1 − u; {@code binary} removes a unit
 * entirely when u &lt; 0.5 and keeps it otherwise, exactly interpreto's {@code (qmc < 0.5)} masks.
 * [differs: interpreto only has binary masks and cannot be seeded; the scramble here is seeded
 * by the image.]
 */
public final class Sobol extends MaskExplainer {
    public static final String NAME = "sobol";
    private final int designs;
    private final String order;
    private final boolean binary;

    public Sobol(ParamReader params, ModelCard card) {
        super(NAME, params, card);
        this.designs = params.integer("designs", 32, 2, 1 << 20);
        this.order = params.choice("order", "total", List.of("total", "first"));
        this.binary = params.choice("mask_values", "continuous", List.of("continuous", "binary")).equals("binary");
        PassBudget budget = new PassBudget(params, card, cellSize());
        params.finish();
        int g = budget.units();
        if (!budget.fits(passes(g, designs))) {
            throw params.error("designs", "with " + PassBudget.count(g) + " units (cell_size " + cellSize()
                    + ") costs (g + 2)·designs + 1 = " + PassBudget.count(passes(g, designs))
                    + " model passes per image, above max_passes_per_image = " + PassBudget.count(budget.maxPasses())
                    + "; lower designs, raise sobol.max_passes_per_image, or "
                    + budget.suggestion(NAME, u -> 2 * u <= SobolDesign.MAX_DIMENSION && budget.fits(passes(u, designs))));
        }
        if (2 * g > SobolDesign.MAX_DIMENSION) {
            throw params.error("cell_size", "gives " + PassBudget.count(g) + " units; a Sobol' design needs 2 dimensions "
                    + "per unit and the direction numbers cover " + SobolDesign.MAX_DIMENSION + " (≤ "
                    + SobolDesign.MAX_DIMENSION / 2 + " units); "
                    + budget.suggestion(NAME, u -> 2 * u <= SobolDesign.MAX_DIMENSION && budget.fits(passes(u, designs))));
        }
    }

    /** (g + 2)·k design evaluations and the unperturbed input. */
    static long passes(int units, int designs) {
        return (units + 2L) * designs + 1;
    }

    @Override
    protected MaskPlan plan(ExplainContext context, UnitGrid grid, SeedSequence seeds) {
        SobolDesign design = new SobolDesign(designs, grid.size(), seeds.named("sobol-scramble"));
        return new Plan(grid.rows(), grid.cols(), design, binary, order.equals("first"));
    }

    @Override
    protected boolean stochastic() {
        return true;
    }

    @Override
    protected void describe(CanonicalParams params) {
        params.put("designs", designs).put("order", order).put("mask_values", binary ? "binary" : "continuous");
    }

    /** Mask 0 is the input; then A's rows, B's rows, and C_j's rows (j-major). */
    private record Plan(int maskRows, int maskCols, SobolDesign design, boolean binary, boolean firstOrder) implements MaskPlan {
        @Override
        public int count() {
            return (int) passes(units(), design.designs());
        }

        @Override
        public void fill(int i, float[] mask) {
            if (i == 0) {
                return;
            }
            int k = design.designs();
            int g = design.units();
            int index = i - 1;
            if (index < k) {
                for (int j = 0; j < g; j++) {
                    mask[j] = removed(design.a(index, j));
                }
            } else if (index < 2 * k) {
                for (int j = 0; j < g; j++) {
                    mask[j] = removed(design.b(index - k, j));
                }
            } else {
                int column = (index - 2 * k) / k;
                int row = (index - 2 * k) % k;
                for (int j = 0; j < g; j++) {
                    mask[j] = removed(j == column ? design.b(row, j) : design.a(row, j));
                }
            }
        }

        private float removed(double kept) {
            return binary ? (kept < 0.5 ? 1f : 0f) : (float) (1.0 - kept);
        }

        @Override
        public MaskResult aggregate(float[] scores) {
            int k = design.designs();
            int g = design.units();
            double[] fA = new double[k];
            double[] fB = new double[k];
            double[][] fC = new double[g][k];
            for (int r = 0; r < k; r++) {
                fA[r] = scores[1 + r];
                fB[r] = scores[1 + k + r];
                for (int j = 0; j < g; j++) {
                    fC[j][r] = scores[1 + 2 * k + j * k + r];
                }
            }
            double[] indices = firstOrder ? SobolIndices.firstOrderSaltelli(fA, fB, fC) : SobolIndices.totalOrderJansen(fA, fC);
            float[] out = new float[g];
            for (int j = 0; j < g; j++) {
                out[j] = (float) indices[j];
            }
            return new MaskResult(out, scores[0], null);
        }
    }
}
