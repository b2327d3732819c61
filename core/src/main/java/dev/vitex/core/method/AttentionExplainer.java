package dev.vitex.core.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.grid.UnitGrid;
import dev.vitex.core.image.ResampleFilter;
import dev.vitex.core.model.AttentionSpec;
import dev.vitex.core.model.EngineArrays;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.model.TargetPicker;
import dev.vitex.core.model.TargetSelector.ClassScores;
import dev.vitex.core.model.VitModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared machinery of the attention methods (native grid: the model's patches). A method only
 * says whether it needs the gate gradients (∂S/∂A) ⊙ A or the probabilities A, and how the
 * per-layer maps become the relevance of every token to CLS; this class batches (image, target)
 * samples into model batches of {@code batch_size}, each in its own NDManager scope, reads the
 * patch tokens' relevance and, at PIXEL granularity, upsamples it with {@code resize}. The one pass
 * is on x, so it can also pick each image's target from that pass's scores ({@link ChoosesTargets}).
 */
public abstract class AttentionExplainer implements ChoosesTargets {
    private static final List<String> RESIZES = List.of("bilinear", "bicubic", "nearest");
    private final String name;
    private final ResampleFilter resize;
    private final AttentionSpec spec;
    private final boolean gradients;

    /** @param gradients whether {@link #relevance} reads gate gradients (forward + backward) or probabilities (forward only) */
    protected AttentionExplainer(String name, ParamReader params, ModelCard card, boolean gradients) {
        this.name = name;
        this.gradients = gradients;
        this.resize = ResampleFilter.parse(params.choice("resize", "bilinear", RESIZES));
        this.spec = requireAttention(name, card);
    }

    /**
     * The card's attention field, or one line refusing the model (called when the method is
     * created, which the driver does before Spark starts).
     */
    public static AttentionSpec requireAttention(String method, ModelCard card) {
        if (card.attention() == null) {
            throw new IllegalArgumentException(method + " needs a model whose card has an 'attention' field (models exported "
                    + "by scripts/export_vit.py have one; docs/design.md § Model); the card of " + card.name()
                    + " (" + card.cardPath() + ") has none");
        }
        return card.attention();
    }

    @Override
    public final String name() {
        return name;
    }

    /**
     * The CLS row of the method's relevance matrix, (N, T), from the maps (layers, N, heads, T, T).
     *
     * @param eye the T × T identity, in the batch's scope
     */
    protected abstract NDArray relevance(NDArray maps, NDArray eye);

    /** The method's own parameters, for the canonical JSON (none by default). */
    protected void describe(CanonicalParams params) {
    }

    @Override
    public final String params(ExplainContext context) {
        CanonicalParams p = new CanonicalParams();
        if (context.granularity() == Granularity.PIXEL) {
            p.put("resize", resize.cliName());
        }
        describe(p);
        return p.json();
    }

    /** One (image, target) of a call; a target chosen in the pass is set there, with the image's class scores. */
    private static final class Job {
        final int image;
        final float[] input;
        int target;
        ClassScores classScores;

        Job(int image, float[] input, int target) {
            this.image = image;
            this.input = input;
            this.target = target;
        }
    }

    /** One model batch's results: each sample's patch-token relevance and its explained score. */
    private record BatchResult(float[][] patchScores, float[] targetScores) {}

    /** Every attention method's one pass is on x itself, so it can always choose the targets. */
    @Override
    public final boolean choosesTargets() {
        return true;
    }

    @Override
    public final List<Attribution> explain(ExplainContext context, List<ExplainItem> items) {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            for (int t = 0; t < items.get(i).targetCount(); t++) {
                jobs.add(new Job(i, items.get(i).input(), items.get(i).target(t)));
            }
        }
        return attributions(context, jobs, null);
    }

    @Override
    public final Chosen explainChoosingTargets(ExplainContext context, List<Image> images, TargetChoice choice) {
        List<Job> jobs = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            jobs.add(new Job(i, images.get(i).input(), -1));
        }
        List<Attribution> out = attributions(context, jobs, choice);
        return new Chosen(jobs.stream().map(j -> j.classScores).toList(), out);
    }

    /** Every job's attribution; jobs without a target (−1) take theirs from {@code choice} in their batch's pass. */
    private List<Attribution> attributions(ExplainContext context, List<Job> jobs, TargetChoice choice) {
        ModelCard card = context.model().card();
        UnitGrid patches = UnitGrid.patches(card.patchSize(), card.inputHeight(), card.inputWidth());
        UnitGrid grid = context.granularity() == Granularity.PIXEL
                ? UnitGrid.pixels(card.inputHeight(), card.inputWidth())
                : patches;
        String params = params(context);
        List<Attribution> out = new ArrayList<>(jobs.size());
        for (int from = 0; from < jobs.size(); from += context.batchSize()) {
            List<Job> batch = jobs.subList(from, Math.min(jobs.size(), from + context.batchSize()));
            BatchResult result = evaluate(context, batch, patches.size(), all -> targets(batch, all, choice));
            for (int i = 0; i < batch.size(); i++) {
                float[] units = result.patchScores()[i];
                float[] scores = grid == patches ? units
                        : resize.apply(units, 1, patches.rows(), patches.cols(), grid.rows(), grid.cols());
                out.add(new Attribution(name, params, grid.granularity(), grid.rows(), grid.cols(), grid.cellSize(),
                        scores, batch.get(i).target, result.targetScores()[i], 1, null));
            }
        }
        return out;
    }

    /** The batch's targets: as given, or chosen from every class's scores of this pass (and recorded in the job). */
    private static int[] targets(List<Job> batch, NDArray scores, TargetChoice choice) {
        List<ClassScores> rows = null;
        int[] targets = new int[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            Job job = batch.get(i);
            if (job.target < 0) {
                rows = rows == null ? ClassScores.rows(scores) : rows;
                job.classScores = rows.get(i);
                job.target = choice.target(job.image, job.classScores);
            }
            targets[i] = job.target;
        }
        return targets;
    }

    /** One model batch, in its own scope. */
    private BatchResult evaluate(ExplainContext context, List<Job> batch, int patchCount, TargetPicker picker) {
        VitModel model = context.model();
        int c = context.channels();
        int h = context.inputHeight();
        int w = context.inputWidth();
        int t = spec.tokens(patchCount);
        try (NDManager scope = model.newScope()) {
            NDList inputs = new NDList();
            for (Job job : batch) {
                inputs.add(EngineArrays.floats(scope, job.input, new Shape(1, c, h, w)));
            }
            NDArray x = inputs.size() == 1 ? inputs.get(0) : NDArrays.concat(inputs);
            VitModel.AttentionOutput output;
            float[] scores;
            if (gradients) {
                output = model.attentionGradients(x, picker, context.mode());
                scores = output.scores().toFloatArray();
            } else {
                output = model.attention(x, context.mode());
                int[] targets = picker.pick(output.scores());
                float[] all = output.scores().toFloatArray();
                int classes = (int) output.scores().getShape().get(1);
                scores = new float[targets.length];
                for (int i = 0; i < targets.length; i++) {
                    scores[i] = all[i * classes + targets[i]];
                }
            }
            float[] relevance = relevance(output.maps(), scope.eye(t)).toFloatArray();
            float[][] patchScores = new float[batch.size()][patchCount];
            for (int i = 0; i < batch.size(); i++) {
                System.arraycopy(relevance, i * t + spec.prefixTokens(), patchScores[i], 0, patchCount);
            }
            return new BatchResult(patchScores, scores);
        }
    }
}
