package dev.vitex.core.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.vitex.core.eval.BatchEvaluator;
import dev.vitex.core.eval.EvaluationRequest;
import dev.vitex.core.eval.Samples;
import dev.vitex.core.method.Attribution;
import dev.vitex.core.method.ExplainContext;
import dev.vitex.core.method.ExplainItem;
import dev.vitex.core.model.EngineArrays;
import dev.vitex.core.model.InferenceMode;
import dev.vitex.core.perturb.Baseline;
import dev.vitex.core.perturb.MaskApplier;
import dev.vitex.core.perturb.MaskUpsampling;
import dev.vitex.core.perturb.SeedSequence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Deletion and insertion AUCs (methods.md § Quality metrics) for many attributions at once: the
 * curve points of all of them are packed into full model batches by a {@link BatchEvaluator},
 * masks applied on the engine with hard (nearest) expansion.
 *
 * <p>The units are the attribution's own grid cells (a patch map is scored patch by patch, a
 * pixel map pixel by pixel). Removed units take the attribution's {@link Attribution#baseline()}
 * (the constant 0.0 for methods without one), so a method is judged with the reference it was computed
 * against. Probabilities are always the target's SOFTMAX, whatever the run's inference mode, so
 * AUCs lie in [0, 1] and compare across runs.
 */
public final class MetricsEvaluator {
    private static final String SEED_PURPOSE = "quality-metrics";
    private final Integer steps;

    /** @param steps curve steps, or null for methods.md's default min(g, 32) */
    public MetricsEvaluator(Integer steps) {
        if (steps != null && steps < 1) {
            throw new IllegalArgumentException("metrics steps must be ≥ 1, got " + steps);
        }
        this.steps = steps;
    }

    public MetricsEvaluator() {
        this(null);
    }

    private record Curve(float[] values) {}

    /**
     * Scores {@code attributions}, which must follow the items' targets in order (item by item,
     * each item's targets in order), as {@code Explainer.explain} returns them; several methods'
     * outputs may be concatenated (the sequence of items × targets then repeats).
     *
     * @return one result per attribution, in order
     */
    public List<QualityScores> evaluate(ExplainContext context, List<ExplainItem> items, List<Attribution> attributions) {
        List<ExplainItem> slots = new ArrayList<>();
        List<Integer> slotTargets = new ArrayList<>();
        for (ExplainItem item : items) {
            for (int t = 0; t < item.targetCount(); t++) {
                slots.add(item);
                slotTargets.add(item.target(t));
            }
        }
        if (slots.isEmpty() || attributions.size() % slots.size() != 0) {
            throw new IllegalArgumentException(attributions.size() + " attributions do not match " + slots.size()
                    + " item targets (expected a multiple: one per item and target, per method)");
        }
        int c = context.channels();
        int h = context.inputHeight();
        int w = context.inputWidth();
        List<EvaluationRequest> requests = new ArrayList<>();
        List<CurveSchedule> schedules = new ArrayList<>();
        List<Curve[]> curves = new ArrayList<>();
        for (int k = 0; k < attributions.size(); k++) {
            Attribution a = attributions.get(k);
            ExplainItem item = slots.get(k % slots.size());
            int target = slotTargets.get(k % slots.size());
            if (a.target() != target) {
                throw new IllegalArgumentException("attribution " + k + " (" + a.method() + ") explains class " + a.target()
                        + " but item " + item.imageKey() + " expects target " + target + " at that position");
            }
            if (a.gridHeight() * a.cellSize() != h || a.gridWidth() * a.cellSize() != w) {
                throw new IllegalArgumentException("attribution " + k + " (" + a.method() + ") covers "
                        + a.gridHeight() * a.cellSize() + "×" + a.gridWidth() * a.cellSize() + " pixels, the model input is " + h + "×" + w);
            }
            int g = a.scores().length;
            CurveSchedule schedule = CurveSchedule.of(g, steps);
            int[] ranking = UnitRanking.descending(a.scores());
            Baseline baseline = a.baseline();
            SeedSequence seeds = SeedSequence.of(context.seed(), item.imageKey(), SEED_PURPOSE);
            float[] reference = baseline.reference(item.input(), c, h, w, seeds.named("baseline"));
            MaskApplier applier = new MaskApplier(a.gridHeight(), a.gridWidth(), h, w, MaskUpsampling.NEAREST);
            Curve[] pair = {new Curve(new float[schedule.points()]), new Curve(new float[schedule.points()])};
            PerturbationCurve[] kinds = {Deletion.INSTANCE, Insertion.INSTANCE};
            for (int q = 0; q < 2; q++) {
                PerturbationCurve kind = kinds[q];
                float[] values = pair[q].values();
                requests.add(new EvaluationRequest(target, schedule.points(), (scope, from, to) -> {
                    float[] masks = new float[(to - from) * g];
                    float[] one = new float[g];
                    for (int t = from; t < to; t++) {
                        Arrays.fill(one, 0f);
                        kind.fill(ranking, schedule.count(t), one);
                        System.arraycopy(one, 0, masks, (t - from) * g, g);
                    }
                    NDArray x = EngineArrays.floats(scope, item.input(), new Shape(1, c, h, w));
                    NDArray r = EngineArrays.floats(scope, reference, new Shape(1, c, h, w));
                    return Samples.of(applier.apply(scope, masks, x, r));
                }, (from, scores, unused) -> {
                    float[] s = scores.toFloatArray();
                    System.arraycopy(s, 0, values, from, s.length);
                }));
            }
            schedules.add(schedule);
            curves.add(pair);
        }
        new BatchEvaluator(context.model(), InferenceMode.SOFTMAX, context.batchSize()).scores(requests);
        List<QualityScores> out = new ArrayList<>(attributions.size());
        for (int k = 0; k < attributions.size(); k++) {
            CurveSchedule schedule = schedules.get(k);
            double[] x = new double[schedule.points()];
            for (int t = 0; t < x.length; t++) {
                x[t] = schedule.fraction(t);
            }
            float[] deletion = curves.get(k)[0].values();
            float[] insertion = curves.get(k)[1].values();
            out.add(new QualityScores(Auc.trapezoid(x, deletion), Auc.trapezoid(x, insertion), x, deletion, insertion));
        }
        return out;
    }
}
