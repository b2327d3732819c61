/**
 * The model: its card (JSON beside the TorchScript file), loading it through DJL ({@link dev.vitex.core.model.VitModel}),
 * scores under an inference mode, target selection ({@link dev.vitex.core.model.TargetRule} says which classes), and the engine-array helpers that keep native
 * memory in closed {@code NDManager} scopes.
 * 
 * <p>May use: {@code image} (preprocessed inputs). No Spark.
 */
package dev.vitex.core.model;
