package dev.vitex.core.pipeline;

import dev.vitex.core.image.ImageException;
import dev.vitex.core.image.PreprocessedImage;
import dev.vitex.core.image.Preprocessor;
import dev.vitex.core.method.Attribution;
import dev.vitex.core.method.ExplainContext;
import dev.vitex.core.method.ExplainItem;
import dev.vitex.core.method.Explainer;
import dev.vitex.core.method.Methods;
import dev.vitex.core.metric.MetricsEvaluator;
import dev.vitex.core.metric.QualityScores;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.model.TargetRule;
import dev.vitex.core.model.TargetSelector;
import dev.vitex.core.model.TargetSelector.ClassScores;
import dev.vitex.core.model.VitModel;
import dev.vitex.core.pipeline.ImageOutcome.Explained;
import dev.vitex.core.pipeline.ImageOutcome.Failed;
import dev.vitex.core.pipeline.ImageOutcome.Finished;
import dev.vitex.core.pipeline.ImageOutcome.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Explains groups of images with one model and one set of options, built once per task (or bench,
 * or test). A group is preprocessed, its targets picked with one batched no-grad forward, every
 * method run on all of it (one {@link ExplainContext}, the run seed; seeds derive from each image's
 * content hash, so results do not depend on grouping), and the attributions scored by the quality
 * metrics.
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

    private final ModelCard card;
    private final PipelineOptions options;
    private final SkipRule skip;
    private final Preprocessor preprocessor;
    private final BatchBudget budget;
    private final ExplainContext context;
    private final List<String> names = new ArrayList<>();
    private final List<Explainer> explainers = new ArrayList<>();
    private final List<String> params = new ArrayList<>();
    private final MetricsEvaluator metrics;

    public GroupExplainer(VitModel model, PipelineOptions options, ExplainerFactory factory, SkipRule skip) {
        this.card = model.card();
        this.options = options;
        this.skip = skip;
        this.preprocessor = new Preprocessor(card, options.decode());
        this.budget = new BatchBudget(options.batchSize());
        this.context = new ExplainContext(model, options.inferenceMode(), options.batchSize(), options.granularity(),
                options.seed());
        options.methods().forEach((name, p) -> {
            Explainer e = factory.create(name, p);
            names.add(name);
            explainers.add(e);
            params.add(e.params(context));
        });
        this.metrics = options.metrics().isEmpty() ? null : new MetricsEvaluator();
    }

    /** Methods built by {@link Methods#create}, nothing skipped. */
    public GroupExplainer(VitModel model, PipelineOptions options) {
        this(model, options, (m, p) -> Methods.create(m, p, model.card()), SkipRule.NONE);
    }

    /** The context at the current batch size (smaller than configured after an out-of-memory). */
    public ExplainContext context() {
        return context.withBatchSize(budget.current());
    }

    /** The model batch sizes this explainer used so far. */
    public BatchBudget.Usage batchUsage() {
        return budget.usage();
    }

    public PipelineOptions options() {
        return options;
    }

    /** One image through its stages (mutable, private to one {@link #explain} call). */
    private static final class Work {
        final int index;
        final ImageInput input;
        String sha;
        PreprocessedImage pre;
        int labelIndex = -1;
        ClassScores scores;
        int[] targets;
        boolean failed;
        int attributions;
        int errors;

        Work(int index, ImageInput input) {
            this.index = index;
            this.input = input;
        }

        ImageFacts facts() {
            return new ImageFacts(index, input.id(), sha, pre == null ? null : pre.geometry(), scores);
        }
    }

    /**
     * A group preprocessed and with its targets, before any method: the items the methods take
     * (the bench measures methods on them), and the failures of the images left out.
     */
    public record Prepared(List<ExplainItem> items, List<ImageOutcome> failures) {}

    public Prepared prepare(List<ImageInput> group) {
        Run run = new Run();
        List<ExplainItem> items = prepared(group, run).stream().filter(w -> !w.failed)
                .map(w -> new ExplainItem(w.sha, w.pre.input(), w.targets)).toList();
        return new Prepared(items, run.outcomes);
    }

    /** Explains one group; the outcomes of every image, in the order they arose. */
    public GroupResult explain(List<ImageInput> group) {
        Run run = new Run();
        List<Work> images = prepared(group, run);
        for (int m = 0; m < explainers.size(); m++) {
            explainMethod(m, images.stream().filter(w -> !w.failed).toList(), run);
        }
        for (Work w : images) {
            Status status = w.attributions > 0 ? Status.EXPLAINED : w.failed || w.errors > 0 ? Status.FAILED : Status.DONE;
            run.outcomes.add(new Finished(w.facts(), status));
        }
        return new GroupResult(run.outcomes, run.metricPasses, run.metricMs);
    }

    /** Every image read, checked, preprocessed and given its targets (or failed). */
    private List<Work> prepared(List<ImageInput> group, Run run) {
        List<Work> images = new ArrayList<>(group.size());
        for (int i = 0; i < group.size(); i++) {
            Work w = new Work(i, group.get(i));
            images.add(w);
            readAndPreprocess(w, run);
        }
        selectTargets(images.stream().filter(w -> !w.failed).toList(), run);
        return images;
    }

    /** What one call collects. */
    private static final class Run {
        final List<ImageOutcome> outcomes = new ArrayList<>();
        final Map<String, Double> metricMs = new HashMap<>();
        long metricPasses;
    }

    /** Hash, check the label, decode and preprocess. */
    private void readAndPreprocess(Work w, Run run) {
        ImageInput in = w.input;
        if (in.readError() != null) {
            fail(w, run, "read", null, in.readError().errorClass(), in.readError().message());
            return;
        }
        w.sha = in.contentKey();
        TargetRule rule = options.targets();
        if (rule.needsLabel()) {
            if (in.label() == null || in.label().isBlank()) {
                fail(w, run, "read", null, "InputException", "no label for --targets label (the image is not in a class "
                        + "folder and there is no label column)");
                return;
            }
            w.labelIndex = TargetRule.classIndex(in.label(), card.labels());
            if (w.labelIndex < 0) {
                fail(w, run, "read", null, "InputException", "unknown label \"" + in.label() + "\": not a class of model "
                        + card.name() + " " + TargetRule.labelsHint(card.labels()) + " nor an index 0.."
                        + (card.numClasses() - 1));
                return;
            }
        }
        try {
            w.pre = in.bytes() != null ? preprocessor.preprocess(in.bytes()) : preprocessor.preprocess(in.decoded());
        } catch (ImageException e) {
            fail(w, run, e.stage(), null, "ImageException", Failures.describe(e));
        } catch (OutOfMemoryError e) {
            fail(w, run, "decode", null, "OutOfMemoryError", "not enough executor memory to decode this image; lower "
                    + "decode.max_pixels or give executors more memory");
        } catch (RuntimeException e) {
            fail(w, run, "preprocess", null, e.getClass().getSimpleName(), Failures.describe(e));
        }
    }

    /** Every class's score per image (one batched no-grad forward), then the targets. */
    private void selectTargets(List<Work> images, Run run) {
        if (images.isEmpty()) {
            return;
        }
        try {
            List<float[]> inputs = images.stream().map(w -> w.pre.input()).toList();
            List<ClassScores> scores = engineCall("target selection", c ->
                    new TargetSelector(c.model(), c.mode(), c.batchSize()).classScores(inputs));
            for (int i = 0; i < images.size(); i++) {
                images.get(i).scores = scores.get(i);
            }
        } catch (DeviceFaultException e) {
            throw e;
        } catch (RuntimeException e) {
            if (images.size() == 1) {
                fail(images.get(0), run, "model", null, e.getClass().getSimpleName(), Failures.describe(e));
                return;
            }
            for (Work w : images) { // isolate the image that breaks the batch
                selectTargets(List.of(w), run);
            }
            return;
        }
        for (Work w : images) {
            w.targets = options.targets().targets(w.scores, w.labelIndex);
        }
    }

    /** Runs method {@code m} on the images that still need it; retried one image at a time on failure. */
    private void explainMethod(int m, List<Work> images, Run run) {
        String name = names.get(m);
        List<Work> todo = new ArrayList<>();
        List<ExplainItem> items = new ArrayList<>();
        for (Work w : images) {
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
            result = engineCall(name, c -> explainer.explain(c, items));
            int expected = items.stream().mapToInt(ExplainItem::targetCount).sum();
            if (result.size() != expected) {
                throw new IllegalStateException(name + " returned " + result.size() + " attributions for " + expected + " targets");
            }
        } catch (DeviceFaultException e) {
            throw e;
        } catch (RuntimeException e) {
            if (todo.size() == 1) {
                Work w = todo.get(0);
                error(w, run, "method", name, e.getClass().getSimpleName(), Failures.describe(e));
                LOG.warn("{}: {} failed: {}", w.input.id(), name, Failures.describe(e));
                return;
            }
            for (Work w : todo) {
                explainMethod(m, List.of(w), run);
            }
            return;
        }
        double perRow = (System.nanoTime() - t0) / 1e6 / result.size();
        QualityScores[] quality = metrics == null ? null : quality(name, todo, items, result, run);
        int k = 0;
        for (int i = 0; i < todo.size(); i++) {
            Work w = todo.get(i);
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
    private QualityScores[] quality(String method, List<Work> images, List<ExplainItem> items, List<Attribution> result,
                                    Run run) {
        long t0 = System.nanoTime();
        QualityScores[] q = new QualityScores[result.size()];
        try {
            List<QualityScores> all = engineCall(method + " metrics", c -> metrics.evaluate(c, items, result));
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
                    List<QualityScores> one = engineCall(method + " metrics", c -> metrics.evaluate(c, item, its));
                    for (int t = 0; t < n; t++) {
                        q[k + t] = one.get(t);
                    }
                } catch (DeviceFaultException e) {
                    throw e;
                } catch (RuntimeException e) {
                    error(images.get(i), run, "method", method, e.getClass().getSimpleName(),
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

    /**
     * One batched engine call at the current batch size; an out-of-memory halves the batch and runs
     * it again (down to 1, then it is thrown), a broken device becomes a {@link DeviceFaultException}.
     */
    private <T> T engineCall(String what, Function<ExplainContext, T> call) {
        while (true) {
            try {
                return call.apply(context());
            } catch (RuntimeException e) {
                if (EngineFaults.isDeviceFault(e)) {
                    throw new DeviceFaultException(what, e);
                }
                int size = budget.current();
                if (!EngineFaults.isOutOfMemory(e) || !budget.halve()) {
                    throw e;
                }
                LOG.warn("{}: engine out of memory at model batch {}, retrying at {}: {}", what, size, budget.current(),
                        Failures.describe(e));
            }
        }
    }

    /** An error that ends the image: later stages skip it. */
    private static void fail(Work w, Run run, String stage, String method, String errorClass, String message) {
        w.failed = true;
        error(w, run, stage, method, errorClass, message);
    }

    private static void error(Work w, Run run, String stage, String method, String errorClass, String message) {
        w.errors++;
        run.outcomes.add(new Failed(w.facts(), stage, method, errorClass, message));
    }
}
