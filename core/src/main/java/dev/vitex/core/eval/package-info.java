/**
 * Batched evaluation: streams of perturbed samples from any number of images, packed into model batches
 * of the configured size ({@link dev.vitex.core.eval.BatchEvaluator}), results routed back per image.
 * 
 * <p>May use: {@code model}, {@code perturb}.
 */
package dev.vitex.core.eval;
