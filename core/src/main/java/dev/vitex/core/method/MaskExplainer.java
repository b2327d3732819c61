package dev.vitex.core.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.vitex.core.eval.EvaluationRequest;
import dev.vitex.core.eval.Samples;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.grid.UnitGrid;
import dev.vitex.core.model.EngineArrays;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.perturb.Baseline;
import dev.vitex.core.perturb.MaskApplier;
import dev.vitex.core.perturb.MaskPlan;
import dev.vitex.core.perturb.MaskUpsampling;
import dev.vitex.core.perturb.SeedSequence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The shared machinery of the mask methods (native grid: cells, default the model's patches). A
 * method only says which masks it evaluates and how their scores become unit scores
 * ({@link MaskPlan}); this class applies the masks on the engine with the baseline, batches them
 * across images and targets, and routes the scores back.
 */
public abstract class MaskExplainer implements Explainer {
    private final String name;
    private final Baseline baseline;
    private final MaskUpsampling upsampling;
    private final int cellSize;

    protected MaskExplainer(String name, ParamReader params, ModelCard card) {
        this.name = name;
        this.baseline = params.baseline(card.channels());
        this.upsampling = MaskUpsampling.parse(params.choice("mask_upsampling", "nearest",
                List.of("nearest", "bilinear", "bicubic")));
        this.cellSize = params.integer("cell_size", card.patchSize(), 1, Math.min(card.inputHeight(), card.inputWidth()));
        if (card.inputHeight() % cellSize != 0 || card.inputWidth() % cellSize != 0) {
            throw params.error("cell_size", "must divide the input size " + card.inputHeight() + "×" + card.inputWidth()
                    + ", got " + cellSize + " (the model's patch size is " + card.patchSize() + ")");
        }
    }

    @Override
    public final String name() {
        return name;
    }

    public int cellSize() {
        return cellSize;
    }

    /** The output grid for this granularity; methods refuse what they cannot produce honestly. */
    protected UnitGrid grid(ExplainContext context) {
        int h = context.inputHeight();
        int w = context.inputWidth();
        return context.granularity() == Granularity.PIXEL || cellSize == 1
                ? pixelGrid(context)
                : UnitGrid.patches(cellSize, h, w);
    }

    /** The PIXEL grid; by default only with cell_size = 1 (scores are never copied from cells to pixels). */
    protected UnitGrid pixelGrid(ExplainContext context) {
        validate(Granularity.PIXEL);
        return UnitGrid.pixels(context.inputHeight(), context.inputWidth());
    }

    /** Pixel maps need cell_size = 1 by default (scores are never copied from cells to pixels). */
    @Override
    public void validate(Granularity granularity) {
        if (granularity == Granularity.PIXEL && cellSize != 1) {
            throw new IllegalArgumentException(name + " at pixel granularity needs cell_size = 1 (--param "
                    + name + ".cell_size=1), got " + cellSize + "; or use --granularity patch");
        }
    }

    /** The masks of one image on {@code grid}; {@code seeds} is that image's random stream. */
    protected abstract MaskPlan plan(ExplainContext context, UnitGrid grid, SeedSequence seeds);

    /** The method's own parameters for the canonical JSON. */
    protected abstract void describe(CanonicalParams params);

    protected boolean stochastic() {
        return false;
    }

    @Override
    public final String params(ExplainContext context) {
        CanonicalParams p = new CanonicalParams()
                .put("baseline", baseline.text())
                .put("mask_upsampling", upsampling.cliName())
                .put("cell_size", cellSize);
        describe(p);
        if (stochastic() || baseline.isStochastic()) {
            p.put("seed", context.seed());
        }
        return p.json();
    }

    private record Job(int target, MaskPlan plan, float[] scores) {}

    @Override
    public final List<Attribution> explain(ExplainContext context, List<ExplainItem> items) {
        int c = context.channels();
        int h = context.inputHeight();
        int w = context.inputWidth();
        UnitGrid grid = grid(context);
        List<Job> jobs = new ArrayList<>();
        List<EvaluationRequest> requests = new ArrayList<>();
        for (ExplainItem item : items) {
            SeedSequence seeds = SeedSequence.of(context.seed(), item.imageKey(), name);
            MaskPlan plan = plan(context, grid, seeds);
            float[] reference = baseline.reference(item.input(), c, h, w, seeds.named("baseline"));
            MaskApplier applier = new MaskApplier(plan.maskRows(), plan.maskCols(), h, w, upsampling);
            int maskSize = plan.maskRows() * plan.maskCols();
            for (int t = 0; t < item.targetCount(); t++) {
                Job job = new Job(item.target(t), plan, new float[plan.count()]);
                jobs.add(job);
                requests.add(new EvaluationRequest(job.target(), plan.count(), (scope, from, to) -> {
                    float[] masks = new float[(to - from) * maskSize];
                    float[] one = new float[maskSize];
                    for (int i = from; i < to; i++) {
                        Arrays.fill(one, 0f);
                        plan.fill(i, one);
                        System.arraycopy(one, 0, masks, (i - from) * maskSize, maskSize);
                    }
                    NDArray x = EngineArrays.floats(scope, item.input(), new Shape(1, c, h, w));
                    NDArray r = EngineArrays.floats(scope, reference, new Shape(1, c, h, w));
                    return Samples.of(applier.apply(scope, masks, x, r));
                }, (from, scores, values) -> {
                    float[] s = scores.toFloatArray();
                    System.arraycopy(s, 0, job.scores(), from, s.length);
                }));
            }
        }
        context.evaluator().scores(requests);
        String params = params(context);
        List<Attribution> out = new ArrayList<>(jobs.size());
        for (Job job : jobs) {
            MaskPlan.MaskResult result = job.plan().aggregate(job.scores());
            out.add(new Attribution(name, params, grid.granularity(), grid.rows(), grid.cols(), grid.cellSize(),
                    result.scores(), job.target(), result.targetScore(), job.plan().count(), result.completenessGap(),
                    baseline));
        }
        return out;
    }
}
