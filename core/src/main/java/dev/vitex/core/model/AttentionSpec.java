package dev.vitex.core.model;

/**
 * The model card's optional {@code attention} field: how vitex reaches a model's attention
 * probabilities (docs/design.md § Model).
 *
 * <p>The TorchScript file has a method {@code method(x, gates) → (logits, attention)}: {@code gates}
 * (layers, N, heads, T, T) multiply every layer's attention probabilities and are all ones, so the
 * logits are {@code forward}'s and the gradient with respect to the gates is (∂S/∂A) ⊙ A;
 * {@code attention} is the probabilities stacked in the same shape. T = prefixTokens + patches: the
 * CLS token first, then {@code prefixTokens − 1} other non-patch tokens (register or distillation
 * tokens), then the patch tokens in row-major order.
 */
public record AttentionSpec(String method, int layers, int heads, int prefixTokens) {
    public AttentionSpec {
        if (method == null || method.isBlank()) {
            throw new IllegalArgumentException("attention.method must be a method name");
        }
        if (layers < 1 || heads < 1 || prefixTokens < 1) {
            throw new IllegalArgumentException("attention.layers, heads and prefix_tokens must be ≥ 1, got "
                    + layers + ", " + heads + ", " + prefixTokens);
        }
    }

    /** Tokens per image for {@code patches} patches. */
    public int tokens(int patches) {
        return prefixTokens + patches;
    }
}
