/**
 * The model: its card (JSON beside the TorchScript file), loading it through DJL ({@link dev.vitex.core.model.VitModel}),
 * at a {@link dev.vitex.core.model.Precision} (the card's file for it: fp32 {@code file}, or a {@code precisions} entry),
 * scores under an inference mode, a per-device limit on concurrent batches ({@link dev.vitex.core.model.BatchGate}), target selection ({@link dev.vitex.core.model.TargetRule} says which classes; a separate forward, {@link
 * dev.vitex.core.model.TargetSelector}, or a {@link dev.vitex.core.model.TargetPicker} inside a forward + backward), and the engine-array helpers that keep native
 * memory in closed {@code NDManager} scopes.
 * 
 * <p>May use: {@code image} (preprocessed inputs). No Spark.
 */
package dev.vitex.core.model;
