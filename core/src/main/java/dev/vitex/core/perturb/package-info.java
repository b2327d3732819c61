/**
 * Perturbations: baselines, masks (random, Shapley coalitions, Sobol designs, RISE's upsampled grids) and how they are applied,
 * integration paths, and the seed derivation every stochastic method shares.
 * 
 * <p>May use: {@code image}, {@code grid}, {@code model}.
 */
package dev.vitex.core.perturb;
