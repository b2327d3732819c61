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
import dev.vitex.core.model.VitModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared machinery of the attention methods (native grid: the model's patches). A method only
 * says whether it needs the gate gradients (∂S/∂A) ⊙ A or the probabilities A, and how the
 * per-layer maps become the relevance of every token to CLS; this class batches (image, target)
 * samples into model batches of {@code batch_size}, each in its own NDManager scope, reads the
 * patch tokens' relevance and, at PIXEL granularity, upsamples it with {@code resize}.
 */
public abstract class AttentionExplainer implements Explainer {
    private static final List<String> RESIZES = List.of("bilinear", "bicubic", "nearest");
    private final String name;
    private final ResampleFilter resize;
    private final AttentionSpec spec;

    protected AttentionExplainer(String name, ParamReader params, ModelCard card) {
        this.name = name;
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

    /** Whether {@link #relevance} reads gate gradients (forward + backward) or probabilities (forward only). */
    protected abstract boolean needsGradients();

    /**
     * The CLS row of the method's relevance matrix, (N, T), from the maps (layers, N, heads, T, T).
     *
     * @param eye the T × T identity, in the batch's scope
     */
    protected abstract NDArray relevance(NDArray maps, NDArray eye);

    /** The method's own parameters, for the canonical JSON. */
    protected abstract void describe(CanonicalParams params);

    @Override
    public final String params(ExplainContext context) {
        CanonicalParams p = new CanonicalParams();
        if (context.granularity() == Granularity.PIXEL) {
            p.put("resize", resize.cliName());
        }
        describe(p);
        return p.json();
    }

    private record Job(ExplainItem item, int target) {}

    /** One model batch's results: each sample's patch-token relevance and its explained score. */
    private record BatchResult(float[][] patchScores, float[] targetScores) {}

    @Override
    public final List<Attribution> explain(ExplainContext context, List<ExplainItem> items) {
        List<Job> jobs = new ArrayList<>();
        for (ExplainItem item : items) {
            for (int t = 0; t < item.targetCount(); t++) {
                jobs.add(new Job(item, item.target(t)));
            }
        }
        ModelCard card = context.model().card();
        UnitGrid patches = UnitGrid.patches(card.patchSize(), card.inputHeight(), card.inputWidth());
        UnitGrid grid = context.granularity() == Granularity.PIXEL
                ? UnitGrid.pixels(card.inputHeight(), card.inputWidth())
                : patches;
        String params = params(context);
        List<Attribution> out = new ArrayList<>(jobs.size());
        for (int from = 0; from < jobs.size(); from += context.batchSize()) {
            List<Job> batch = jobs.subList(from, Math.min(jobs.size(), from + context.batchSize()));
            BatchResult result = evaluate(context, batch, patches.size());
            for (int i = 0; i < batch.size(); i++) {
                float[] units = result.patchScores()[i];
                float[] scores = grid == patches ? units
                        : resize.apply(units, 1, patches.rows(), patches.cols(), grid.rows(), grid.cols());
                out.add(new Attribution(name, params, grid.granularity(), grid.rows(), grid.cols(), grid.cellSize(),
                        scores, batch.get(i).target(), result.targetScores()[i], 1, null));
            }
        }
        return out;
    }

    /** One model batch, in its own scope. */
    private BatchResult evaluate(ExplainContext context, List<Job> batch, int patchCount) {
        VitModel model = context.model();
        int c = context.channels();
        int h = context.inputHeight();
        int w = context.inputWidth();
        int t = spec.tokens(patchCount);
        int[] targets = batch.stream().mapToInt(Job::target).toArray();
        try (NDManager scope = model.newScope()) {
            NDList inputs = new NDList();
            for (Job job : batch) {
                inputs.add(EngineArrays.floats(scope, job.item().input(), new Shape(1, c, h, w)));
            }
            NDArray x = inputs.size() == 1 ? inputs.get(0) : NDArrays.concat(inputs);
            VitModel.AttentionOutput output;
            float[] scores;
            if (needsGradients()) {
                output = model.attentionGradients(x, targets, context.mode());
                scores = output.scores().toFloatArray();
            } else {
                output = model.attention(x, context.mode());
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
