package dev.vitex.core.method;

import ai.djl.ndarray.NDManager;
import dev.vitex.core.aggregate.ChannelReduce;
import dev.vitex.core.aggregate.MomentAccumulator;
import dev.vitex.core.aggregate.Statistic;
import dev.vitex.core.eval.BatchEvaluator;
import dev.vitex.core.eval.EvaluationRequest;
import dev.vitex.core.eval.ResultSink;
import dev.vitex.core.eval.SampleSource;
import dev.vitex.core.eval.Samples;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.grid.UnitGrid;
import dev.vitex.core.image.ResampleFilter;
import dev.vitex.core.model.TargetSelector.ClassScores;
import dev.vitex.core.perturb.Baseline;
import dev.vitex.core.perturb.SeedSequence;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared machinery of the gradient methods (native grid: pixels). A method only says how its
 * samples z_i and gradient multipliers m_i are built and which statistic reduces
 * v_i = ∇f_c(z_i) ⊙ m_i over the samples; this class batches them across images, accumulates per
 * channel and pixel, reduces channels, and resizes to the patch grid when asked. A method whose
 * sample 0 is x itself (saliency) can also pick each image's target from that sample's forward
 * ({@link ChoosesTargets}).
 */
public abstract class GradientExplainer implements ChoosesTargets {
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

    /**
     * The index of a method sample that is exactly x, whose score then is f(x) (no separate pass);
     * −1 (the default): f(x) takes a no-grad forward pass of its own.
     */
    protected int inputSample() {
        return -1;
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

    /** One (image, target) of a call; a target chosen in the pass is set there, with the image's class scores. */
    private static final class Job {
        final GradientImage image;
        final MomentAccumulator moments;
        final float[] scores; // f(x), and f(b) for path methods
        int target;
        ClassScores classScores;

        Job(GradientImage image, int target, MomentAccumulator moments, float[] scores) {
            this.image = image;
            this.target = target;
            this.moments = moments;
            this.scores = scores;
        }

        int choose(ClassScores all, int chosen) {
            classScores = all;
            target = chosen;
            return chosen;
        }
    }

    /** Gradient methods choose targets when their sample 0 is x itself (saliency): that sample's forward scores x. */
    @Override
    public final boolean choosesTargets() {
        return inputSample() == 0;
    }

    @Override
    public final List<Attribution> explain(ExplainContext context, List<ExplainItem> items) {
        List<Job> jobs = new ArrayList<>();
        for (ExplainItem item : items) {
            GradientImage image = image(context, item.imageKey(), item.input());
            for (int t = 0; t < item.targetCount(); t++) {
                jobs.add(job(image, item.target(t)));
            }
        }
        return attributions(context, jobs, null);
    }

    @Override
    public final Chosen explainChoosingTargets(ExplainContext context, List<Image> images, TargetChoice choice) {
        if (!choosesTargets()) {
            throw new IllegalStateException(name + " does not evaluate x in its first pass: it cannot choose targets");
        }
        List<Job> jobs = images.stream().map(i -> job(image(context, i.imageKey(), i.input()), -1)).toList();
        List<Attribution> out = attributions(context, jobs, choice);
        return new Chosen(jobs.stream().map(j -> j.classScores).toList(), out);
    }

    private GradientImage image(ExplainContext context, String key, float[] input) {
        int c = context.channels();
        int h = context.inputHeight();
        int w = context.inputWidth();
        SeedSequence seeds = SeedSequence.of(context.seed(), key, name);
        float[] reference = baseline() == null ? null : baseline().reference(input, c, h, w, seeds.named("baseline"));
        return new GradientImage(input, reference, c, h, w, seeds);
    }

    private Job job(GradientImage image, int target) {
        return new Job(image, target, MomentAccumulator.forStatistic(image.x().length, statistic()),
                new float[image.reference() == null ? 1 : 2]);
    }

    /** Every job's attribution; jobs without a target (−1) take theirs from {@code choice} in the pass on x. */
    private List<Attribution> attributions(ExplainContext context, List<Job> jobs, TargetChoice choice) {
        int c = context.channels();
        int h = context.inputHeight();
        int w = context.inputWidth();
        int n = sampleCount();
        ScoredPoints points = ScoredPoints.of(inputSample(), baseline() != null);
        List<EvaluationRequest> gradientRequests = new ArrayList<>();
        for (int j = 0; j < jobs.size(); j++) {
            Job job = jobs.get(j);
            int index = j; // one job per image when choosing
            SampleSource source = (scope, from, to) -> samples(scope, job.image, from, to);
            ResultSink sink = (from, scores, values) -> points.acceptGradients(from, scores, values, job.moments, job.scores);
            gradientRequests.add(job.target >= 0 ? new EvaluationRequest(job.target, n, source, sink)
                    : EvaluationRequest.choosing(all -> job.choose(all, choice.target(index, all)), n, source, sink));
        }
        BatchEvaluator evaluator = context.evaluator();
        evaluator.gradients(gradientRequests);
        // f(x) unless a gradient sample is x itself, and f(b) for path methods: no-grad, packed across images
        // (built after the gradients, where every target is known).
        List<EvaluationRequest> scoreRequests = new ArrayList<>();
        for (Job job : jobs) {
            EvaluationRequest forward = points.forwardRequest(job.target, job.image, job.scores);
            if (forward != null) {
                scoreRequests.add(forward);
            }
        }
        if (!scoreRequests.isEmpty()) {
            evaluator.scores(scoreRequests);
        }

        UnitGrid grid = context.granularity() == Granularity.PATCH
                ? UnitGrid.patches(context.model().card().patchSize(), h, w)
                : UnitGrid.pixels(h, w);
        String params = params(context);
        List<Attribution> out = new ArrayList<>(jobs.size());
        for (Job job : jobs) {
            double[] raw = job.moments.result(statistic());
            float[] pixels = channelReduce.apply(raw, c, h, w);
            Double gap = null;
            if (hasCompleteness()) {
                double total = 0;
                for (double v : raw) {
                    total += v;
                }
                gap = total - (job.scores[0] - job.scores[1]);
            }
            out.add(new Attribution(name, params, grid.granularity(), grid.rows(), grid.cols(), grid.cellSize(),
                    grid.fromPixels(pixels, resize), job.target, job.scores[0], n + points.forwardPasses(), gap,
                    baseline() == null ? Baseline.ZERO : baseline()));
        }
        return out;
    }
}
