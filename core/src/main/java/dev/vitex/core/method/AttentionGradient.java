package dev.vitex.core.method;

import ai.djl.ndarray.NDArray;
import dev.vitex.core.model.ModelCard;

/**
 * Gradient-weighted attention (Chefer, Gur &amp; Wolf 2021, "Generic Attention-model
 * Explainability"): R = I; for each layer in forward order Ā = mean over heads of
 * ((∂S/∂A) ⊙ A)⁺ and R ← R + Ā·R; the scores are R[CLS, patch tokens]. S is the target's score
 * under the inference mode. One forward and one backward per image and target.
 */
public final class AttentionGradient extends AttentionExplainer {
    public static final String NAME = "attention_gradient";

    public AttentionGradient(ParamReader params, ModelCard card) {
        super(NAME, params, card);
        params.finish();
    }

    @Override
    protected boolean needsGradients() {
        return true;
    }

    @Override
    protected NDArray relevance(NDArray maps, NDArray eye) {
        NDArray cams = maps.maximum(0f).mean(new int[] {2}); // (layers, N, T, T)
        long n = maps.getShape().get(1);
        NDArray r = eye.expandDims(0).repeat(0, n); // (N, T, T)
        for (long l = 0; l < cams.getShape().get(0); l++) {
            r = r.add(cams.get(l).matMul(r));
        }
        return r.get(":, 0, :");
    }

    @Override
    protected void describe(CanonicalParams params) {
        // no parameters of its own
    }
}
