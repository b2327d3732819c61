/**
 * The attribution methods, one file each, on shared machinery: {@link dev.vitex.core.method.GradientExplainer}
 * for gradient methods, {@link dev.vitex.core.method.MaskExplainer} for mask methods (also RISE and the
 * random baseline), {@link dev.vitex.core.method.AttentionExplainer} for the attention methods ({@link dev.vitex.core.method.ChoosesTargets}: saliency and the attention methods
 * can pick each image's target in their own pass on x); their parameters,
 * the {@link dev.vitex.core.method.Attribution} every method returns, and the registry of names.
 * 
 * <p>May use: {@code image}, {@code model}, {@code grid}, {@code perturb}, {@code eval}, {@code aggregate}.
 */
package dev.vitex.core.method;
