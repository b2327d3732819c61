/**
 * Turning model outputs into scores: moments, channel reductions, regressions (LIME, KernelSHAP),
 * Sobol indices, attention rollout's discarding of the lowest weights. Pure Java numerics (Commons Math where it fits); no DJL.
 */
package dev.vitex.core.aggregate;
