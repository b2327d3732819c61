package dev.vitex.core.pipeline;

import dev.vitex.core.method.Attribution;
import dev.vitex.core.method.ChoosesTargets;
import dev.vitex.core.method.ExplainContext;
import dev.vitex.core.method.ExplainItem;
import dev.vitex.core.method.Explainer;
import dev.vitex.core.method.Methods;
import dev.vitex.core.metric.MetricsEvaluator;
import dev.vitex.core.metric.QualityScores;
import dev.vitex.core.model.TargetRule;
import dev.vitex.core.model.TargetSelector;
import dev.vitex.core.model.TargetSelector.ClassScores;
import dev.vitex.core.model.VitModel;
import dev.vitex.core.pipeline.ImageOutcome.Explained;
import dev.vitex.core.pipeline.ImageOutcome.Finished;
import dev.vitex.core.pipeline.ImageOutcome.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Explains groups of images with one model and one set of options, built once per task (or bench,
 * or test). A group is preprocessed, its targets picked, every method run on all of it (one {@link
 * ExplainContext}, the run seed; seeds derive from each image's content hash, so results do not
 * depend on grouping), and the attributions scored by the quality metrics.
 *
 * <p>Targets: with one target per image (predicted, label, a class) and a method that evaluates x in
 * its first pass ({@link ChoosesTargets}: saliency, attention_rollout, attention_gradient), the first
 * such method runs first and picks the targets from the scores of its own pass, with the same {@link
 * TargetRule} code; otherwise (top:K, or no such method) one batched no-grad forward selects them
 * before any method (methods.md § Targets).
 *
 * <p>An engine out-of-memory in a batched call (target selection, a method, the metrics) halves the
 * model batch and retries, down to 1; the size that worked is kept for the rest of the task ({@link
 * BatchBudget}). Any other failure of the model, a method or the metrics on a group is retried image
 * by image, so one bad image costs only its own results. Nothing an image does throws out of {@link
 * #explain}; a broken device does ({@link DeviceFaultException}). Not thread-safe (one instance per
 * task thread).
 */
public final class GroupExplainer {
    private static final Logger LOG = LoggerFactory.getLogger("vitex");
    private static final int NONE = -1;

    /** Whether (image id, method, target) is already done (resume): it is not explained again. */
    @FunctionalInterface
    public interface SkipRule {
        SkipRule NONE = (imageId, method, target) -> false;

        boolean done(String imageId, String method, int target);
    }

    /** Builds a method from its name and raw parameters (the job shares them per JVM). */
    @FunctionalInterface
    public interface ExplainerFactory {
        Explainer create(String method, Map<String, String> params);
    }

    private final PipelineOptions options;
    private final SkipRule skip;
    private final ImagePreparation preparation;
    private final EngineCalls engine;
    private final List<String> names = new ArrayList<>();
    private final List<Explainer> explainers = new ArrayList<>();
    private final List<String> params = new ArrayList<>();
    private final MetricsEvaluator metrics;
    /** The method that picks the targets in its own pass, or {@link #NONE}: a separate forward selects them. */
    private final int chooser;

    public GroupExplainer(VitModel model, PipelineOptions options, ExplainerFactory factory, SkipRule skip) {
        this.options = options;
        this.skip = skip;
        this.preparation = new ImagePreparation(model.card(), options.targets(), options.decode());
        ExplainContext context = new ExplainContext(model, options.inferenceMode(), options.batchSize(),
                options.granularity(), options.seed());
        this.engine = new EngineCalls(context);
        options.methods().forEach((name, p) -> {
            Explainer e = factory.create(name, p);
            names.add(name);
            explainers.add(e);
            params.add(e.params(context));
        });
        this.metrics = options.metrics().isEmpty() ? null : new MetricsEvaluator();
        this.chooser = chooser(options.targets(), explainers);
    }

    /** The first method that can pick one target per image from its own pass on x; none for top:K (K > 1). */
    private static int chooser(TargetRule rule, List<Explainer> explainers) {
        if (rule.count() != 1) {
            return NONE; // several targets per image: each needs its own backward, so they are chosen before any pass
        }
        for (int m = 0; m < explainers.size(); m++) {
            if (explainers.get(m) instanceof ChoosesTargets c && c.choosesTargets()) {
                return m;
            }
        }
        return NONE;
    }

    /** Methods built by {@link Methods#create}, nothing skipped. */
    public GroupExplainer(VitModel model, PipelineOptions options) {
        this(model, options, (m, p) -> Methods.create(m, p, model.card()), SkipRule.NONE);
    }

    /** The context at the current batch size (smaller than configured after an out-of-memory). */
    public ExplainContext context() {
        return engine.context();
    }

    /** The model batch sizes this explainer used so far. */
    public BatchBudget.Usage batchUsage() {
        return engine.usage();
    }

    /** The method whose own pass picks the targets in {@link #explain}, or empty when a separate forward does. */
    public Optional<String> targetsChosenBy() {
        return chooser == NONE ? Optional.empty() : Optional.of(names.get(chooser));
    }

    public PipelineOptions options() {
        return options;
    }

    /**
     * A group preprocessed and with its targets (always from the separate forward), before any method:
     * the items the methods take (the bench measures methods on them), and the failures of the images left out.
     */
    public record Prepared(List<ExplainItem> items, List<ImageOutcome> failures) {}

    public Prepared prepare(List<ImageInput> group) {
        Run run = new Run();
        List<ImageWork> images = readAll(group, run);
        selectTargets(live(images), run);
        List<ExplainItem> items = live(images).stream().map(w -> new ExplainItem(w.sha, w.pre.input(), w.targets)).toList();
        return new Prepared(items, run.outcomes);
    }

    /** Explains one group; the outcomes of every image, in the order they arose. */
    public GroupResult explain(List<ImageInput> group) {
        Run run = new Run();
        List<ImageWork> images = readAll(group, run);
        if (chooser == NONE) {
            selectTargets(live(images), run);
        } else {
            explainChoosingTargets(live(images), run);
        }
        for (int m = 0; m < explainers.size(); m++) {
            if (m != chooser) {
                explainMethod(m, live(images), run);
            }
        }
        for (ImageWork w : images) {
            Status status = w.attributions > 0 ? Status.EXPLAINED : w.failed || w.errors > 0 ? Status.FAILED : Status.DONE;
            run.outcomes.add(new Finished(w.facts(), status));
        }
        return new GroupResult(run.outcomes, run.metricPasses, run.metricMs);
    }

    /** Every image read, checked and preprocessed (or failed). */
    private List<ImageWork> readAll(List<ImageInput> group, Run run) {
        List<ImageWork> images = new ArrayList<>(group.size());
        for (int i = 0; i < group.size(); i++) {
            ImageWork w = new ImageWork(i, group.get(i));
            images.add(w);
            preparation.prepare(w, run.outcomes);
        }
        return images;
    }

    private static List<ImageWork> live(List<ImageWork> images) {
        return images.stream().filter(w -> !w.failed).toList();
    }

    /** What one call collects. */
    private static final class Run {
        final List<ImageOutcome> outcomes = new ArrayList<>();
        final Map<String, Double> metricMs = new HashMap<>();
        long metricPasses;
    }

    /** Every class's score per image (one batched no-grad forward), then the targets. */
    private void selectTargets(List<ImageWork> images, Run run) {
        if (images.isEmpty()) {
            return;
        }
        try {
            List<float[]> inputs = images.stream().map(w -> w.pre.input()).toList();
            List<ClassScores> scores = engine.call("target selection", c ->
                    new TargetSelector(c.model(), c.mode(), c.batchSize()).classScores(inputs));
            for (int i = 0; i < images.size(); i++) {
                images.get(i).scores = scores.get(i);
            }
        } catch (DeviceFaultException e) {
            throw e;
        } catch (RuntimeException e) {
            if (images.size() == 1) {
                images.get(0).fail(run.outcomes, "model", null, e.getClass().getSimpleName(), Failures.describe(e));
                return;
            }
            for (ImageWork w : images) { // isolate the image that breaks the batch
                selectTargets(List.of(w), run);
            }
            return;
        }
        for (ImageWork w : images) {
            w.targets = targets(w, w.scores);
        }
    }

    /** The one place targets are decided, from an image's class scores (and label), whichever pass computed them. */
    private int[] targets(ImageWork w, ClassScores scores) {
        return options.targets().targets(scores, w.labelIndex);
    }

    /**
     * The chooser method on the images, picking each one's target from the scores of its own pass on x;
     * then every image has its scores and targets as {@link #selectTargets} gives them. Retried image by
     * image on failure; an image failing alone takes the separate path's two steps (a no-grad forward, then the
     * method), so its errors are those of the separate path: stage model when its scores cannot be
     * computed at all, else stage method.
     */
    private void explainChoosingTargets(List<ImageWork> images, Run run) {
        if (images.isEmpty()) {
            return;
        }
        String name = names.get(chooser);
        ChoosesTargets explainer = (ChoosesTargets) explainers.get(chooser);
        List<ChoosesTargets.Image> inputs = images.stream().map(w -> new ChoosesTargets.Image(w.sha, w.pre.input())).toList();
        long t0 = System.nanoTime();
        ChoosesTargets.Chosen chosen;
        try {
            chosen = engine.call(name, c -> explainer.explainChoosingTargets(c, inputs,
                    (i, scores) -> targets(images.get(i), scores)[0]));
            if (chosen.attributions().size() != images.size() || chosen.scores().size() != images.size()) {
                throw new IllegalStateException(name + " chose targets for " + chosen.attributions().size() + " of "
                        + images.size() + " images");
            }
        } catch (DeviceFaultException e) {
            throw e;
        } catch (RuntimeException e) {
            if (images.size() == 1) {
                selectTargets(images, run);
                explainMethod(chooser, live(images), run);
                return;
            }
            for (ImageWork w : images) {
                explainChoosingTargets(List.of(w), run);
            }
            return;
        }
        double perRow = (System.nanoTime() - t0) / 1e6 / images.size();
        List<ImageWork> todo = new ArrayList<>();
        List<ExplainItem> items = new ArrayList<>();
        List<Attribution> result = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            ImageWork w = images.get(i);
            w.scores = chosen.scores().get(i);
            w.targets = targets(w, w.scores);
            Attribution a = chosen.attributions().get(i);
            // Resume: the target is known only after the pass, so a row already done was computed anyway and is
            // dropped here — correct, occasionally wasted work (the pass also gives the scores the other rows need).
            if (!skip.done(w.input.id(), name, a.target())) {
                todo.add(w);
                items.add(new ExplainItem(w.sha, w.pre.input(), w.targets));
                result.add(a);
            }
        }
        report(chooser, todo, items, result, perRow, run);
    }

    /** Runs method {@code m} on the images that still need it; retried one image at a time on failure. */
    private void explainMethod(int m, List<ImageWork> images, Run run) {
        String name = names.get(m);
        List<ImageWork> todo = new ArrayList<>();
        List<ExplainItem> items = new ArrayList<>();
        for (ImageWork w : images) {
            int[] targets = Arrays.stream(w.targets).filter(t -> !skip.done(w.input.id(), name, t)).toArray();
            if (targets.length > 0) {
                todo.add(w);
                items.add(new ExplainItem(w.sha, w.pre.input(), targets));
            }
        }
        if (items.isEmpty()) {
            return;
        }
        long t0 = System.nanoTime();
        List<Attribution> result;
        try {
            Explainer explainer = explainers.get(m);
            result = engine.call(name, c -> explainer.explain(c, items));
            int expected = items.stream().mapToInt(ExplainItem::targetCount).sum();
            if (result.size() != expected) {
                throw new IllegalStateException(name + " returned " + result.size() + " attributions for " + expected + " targets");
            }
        } catch (DeviceFaultException e) {
            throw e;
        } catch (RuntimeException e) {
            if (todo.size() == 1) {
                ImageWork w = todo.get(0);
                w.error(run.outcomes, "method", name, e.getClass().getSimpleName(), Failures.describe(e));
                LOG.warn("{}: {} failed: {}", w.input.id(), name, Failures.describe(e));
                return;
            }
            for (ImageWork w : todo) {
                explainMethod(m, List.of(w), run);
            }
            return;
        }
        report(m, todo, items, result, (System.nanoTime() - t0) / 1e6 / result.size(), run);
    }

    /** The attributions of method {@code m} (todo[i]'s items[i].targetCount() in order), scored, as outcomes. */
    private void report(int m, List<ImageWork> todo, List<ExplainItem> items, List<Attribution> result, double perRow,
                        Run run) {
        if (result.isEmpty()) {
            return;
        }
        QualityScores[] quality = metrics == null ? null : quality(names.get(m), todo, items, result, run);
        int k = 0;
        for (int i = 0; i < todo.size(); i++) {
            ImageWork w = todo.get(i);
            for (int t = 0; t < items.get(i).targetCount(); t++) {
                QualityScores q = quality == null ? null : quality[k];
                run.outcomes.add(new Explained(w.facts(), result.get(k++), params.get(m), perRow, q));
                w.attributions++;
            }
        }
    }

    /**
     * Deletion and insertion scores of every attribution (null where they could not be computed:
     * that image gets an error of stage method and keeps its attributions).
     */
    private QualityScores[] quality(String method, List<ImageWork> images, List<ExplainItem> items, List<Attribution> result,
                                    Run run) {
        long t0 = System.nanoTime();
        QualityScores[] q = new QualityScores[result.size()];
        try {
            List<QualityScores> all = engine.call(method + " metrics", c -> metrics.evaluate(c, items, result));
            for (int k = 0; k < q.length; k++) {
                q[k] = all.get(k);
            }
        } catch (DeviceFaultException e) {
            throw e;
        } catch (RuntimeException batch) {
            int k = 0;
            for (int i = 0; i < items.size(); i++) { // isolate the image the metrics fail on
                int n = items.get(i).targetCount();
                try {
                    List<ExplainItem> item = List.of(items.get(i));
                    List<Attribution> its = result.subList(k, k + n);
                    List<QualityScores> one = engine.call(method + " metrics", c -> metrics.evaluate(c, item, its));
                    for (int t = 0; t < n; t++) {
                        q[k + t] = one.get(t);
                    }
                } catch (DeviceFaultException e) {
                    throw e;
                } catch (RuntimeException e) {
                    images.get(i).error(run.outcomes, "method", method, e.getClass().getSimpleName(),
                            "deletion/insertion metrics failed: " + Failures.describe(e));
                }
                k += n;
            }
        }
        for (QualityScores s : q) {
            run.metricPasses += s == null ? 0 : s.modelPasses();
        }
        run.metricMs.merge(method, (System.nanoTime() - t0) / 1e6, Double::sum);
        return q;
    }
}
