package dev.vitex.core.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.vitex.core.aggregate.ChannelReduce;
import dev.vitex.core.aggregate.MomentAccumulator;
import dev.vitex.core.aggregate.Statistic;
import dev.vitex.core.eval.BatchEvaluator;
import dev.vitex.core.eval.EvaluationRequest;
import dev.vitex.core.eval.Samples;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.grid.UnitGrid;
import dev.vitex.core.image.ResampleFilter;
import dev.vitex.core.perturb.Baseline;
import dev.vitex.core.perturb.SeedSequence;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared machinery of the gradient methods (native grid: pixels). A method only says how its
 * samples z_i and gradient multipliers m_i are built and which statistic reduces
 * v_i = ∇f_c(z_i) ⊙ m_i over the samples; this class batches them across images, accumulates per
 * channel and pixel, reduces channels, and resizes to the patch grid when asked.
 */
public abstract class GradientExplainer implements Explainer {
    private static final List<String> RESIZES = List.of("area", "bilinear", "bicubic");
    private final String name;
    private final ChannelReduce channelReduce;
    private final ResampleFilter resize;

    protected GradientExplainer(String name, ParamReader params) {
        this.name = name;
        this.channelReduce = ChannelReduce.parse(params.choice("channel_reduce", "mean",
                List.of("mean", "sum", "abs_mean", "max_abs")));
        this.resize = ResampleFilter.parse(params.choice("resize", "area", RESIZES));
    }

    @Override
    public final String name() {
        return name;
    }

    /** Number of gradient samples per image and target. */
    protected abstract int sampleCount();

    protected abstract Statistic statistic();

    /** Samples [from, to) of one image: model inputs and gradient multipliers. */
    protected abstract Samples samples(NDManager scope, GradientImage image, int from, int to);

    /** The method's own parameters, for the canonical JSON. */
    protected abstract void describe(CanonicalParams params);

    /** The reference point b of path methods (its score gives the completeness gap), or null. */
    protected Baseline baseline() {
        return null;
    }

    /** Whether the completeness axiom Σ A = f(x) − f(b) applies (then its gap is reported). */
    protected boolean hasCompleteness() {
        return false;
    }

    protected boolean stochastic() {
        return false;
    }

    @Override
    public final String params(ExplainContext context) {
        CanonicalParams p = new CanonicalParams().put("channel_reduce", channelReduce.cliName());
        if (context.granularity() == Granularity.PATCH) {
            p.put("resize", resize.cliName());
        }
        describe(p);
        if (stochastic() || (baseline() != null && baseline().isStochastic())) {
            p.put("seed", context.seed());
        }
        return p.json();
    }

    private record Job(ExplainItem item, int target, GradientImage image, MomentAccumulator moments, float[] scores) {}

    @Override
    public final List<Attribution> explain(ExplainContext context, List<ExplainItem> items) {
        int c = context.channels();
        int h = context.inputHeight();
        int w = context.inputWidth();
        int n = sampleCount();
        List<Job> jobs = new ArrayList<>();
        List<EvaluationRequest> gradientRequests = new ArrayList<>();
        List<EvaluationRequest> scoreRequests = new ArrayList<>();
        for (ExplainItem item : items) {
            SeedSequence seeds = SeedSequence.of(context.seed(), item.imageKey(), name);
            float[] reference = baseline() == null ? null : baseline().reference(item.input(), c, h, w, seeds.named("baseline"));
            GradientImage image = new GradientImage(item.input(), reference, c, h, w, seeds);
            for (int t = 0; t < item.targetCount(); t++) {
                Job job = new Job(item, item.target(t), image, MomentAccumulator.forStatistic(c * h * w, statistic()),
                        new float[reference == null ? 1 : 2]);
                jobs.add(job);
                gradientRequests.add(new EvaluationRequest(job.target(), n,
                        (scope, from, to) -> samples(scope, image, from, to),
                        (from, scores, values) -> job.moments().add(values)));
                // f(x), and f(b) for path methods: the explained score and the completeness reference.
                scoreRequests.add(new EvaluationRequest(job.target(), job.scores().length,
                        (scope, from, to) -> Samples.of(referencePair(scope, image, from, to)),
                        (from, scores, values) -> System.arraycopy(scores.toFloatArray(), 0, job.scores(), from,
                                (int) scores.size())));
            }
        }
        BatchEvaluator evaluator = context.evaluator();
        evaluator.gradients(gradientRequests);
        evaluator.scores(scoreRequests);

        UnitGrid grid = context.granularity() == Granularity.PATCH
                ? UnitGrid.patches(context.model().card().patchSize(), h, w)
                : UnitGrid.pixels(h, w);
        String params = params(context);
        List<Attribution> out = new ArrayList<>(jobs.size());
        for (Job job : jobs) {
            double[] raw = job.moments().result(statistic());
            float[] pixels = channelReduce.apply(raw, c, h, w);
            Double gap = null;
            if (hasCompleteness()) {
                double total = 0;
                for (double v : raw) {
                    total += v;
                }
                gap = total - (job.scores()[0] - job.scores()[1]);
            }
            out.add(new Attribution(name, params, grid.granularity(), grid.rows(), grid.cols(), grid.cellSize(),
                    grid.fromPixels(pixels, resize), job.target(), job.scores()[0], n + job.scores().length, gap,
                    baseline() == null ? Baseline.ZERO : baseline()));
        }
        return out;
    }

    /** Sample 0 is x, sample 1 the reference b. */
    private static NDArray referencePair(NDManager scope, GradientImage image, int from, int to) {
        List<NDArray> parts = new ArrayList<>();
        for (int i = from; i < to; i++) {
            parts.add(i == 0 ? image.x(scope) : image.reference(scope));
        }
        return parts.size() == 1 ? parts.get(0) : parts.get(0).concat(parts.get(1));
    }
}
