package dev.vitex.core.method;

import ai.djl.ndarray.NDArray;
import dev.vitex.core.aggregate.LowestWeights;
import dev.vitex.core.model.EngineArrays;
import dev.vitex.core.model.ModelCard;
import java.util.List;

/**
 * Attention rollout (Abnar &amp; Zuidema 2020) as {@code jacobgil/vit-explain} computes it, with
 * the rows renormalised: per layer the heads are fused ({@code head_fusion} mean | max | min), the
 * {@code discard_ratio} lowest fused weights are zeroed (never CLS→CLS), Ā = 0.5·A + 0.5·I with
 * rows renormalised, R = Ā_L ⋯ Ā_1 and the scores are R[CLS, patch tokens]. Forward only and
 * independent of the target: the row's target columns still say which class was predicted and
 * its score.
 */
public final class AttentionRollout extends AttentionExplainer {
    public static final String NAME = "attention_rollout";
    private final String headFusion;
    private final double discardRatio;

    public AttentionRollout(ParamReader params, ModelCard card) {
        super(NAME, params, card);
        this.headFusion = params.choice("head_fusion", "mean", List.of("mean", "max", "min"));
        this.discardRatio = params.number("discard_ratio", 0.0, 0.0, 1.0, true);
        if (discardRatio >= 1.0) {
            throw params.error("discard_ratio", "must be in [0, 1): 1 would discard every weight, got " + discardRatio);
        }
        params.finish();
    }

    @Override
    protected boolean needsGradients() {
        return false;
    }

    @Override
    protected NDArray relevance(NDArray maps, NDArray eye) {
        int[] heads = {2};
        NDArray fused = switch (headFusion) {
            case "max" -> maps.max(heads);
            case "min" -> maps.min(heads);
            default -> maps.mean(heads);
        }; // (layers, N, T, T)
        if (discardRatio > 0) {
            float[] values = fused.toFloatArray();
            int t = (int) eye.getShape().get(0);
            LowestWeights.discard(values, t * t, discardRatio);
            fused = EngineArrays.floats(maps.getManager(), values, fused.getShape());
        }
        NDArray half = fused.mul(0.5f).add(eye.mul(0.5f));
        NDArray a = half.div(half.sum(new int[] {-1}, true));
        NDArray r = a.get(0);
        for (long l = 1; l < a.getShape().get(0); l++) {
            r = a.get(l).matMul(r);
        }
        return r.get(":, 0, :");
    }

    @Override
    protected void describe(CanonicalParams params) {
        params.put("head_fusion", headFusion).put("discard_ratio", discardRatio);
    }
}
