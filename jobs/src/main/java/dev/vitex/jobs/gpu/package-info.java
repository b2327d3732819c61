/**
 * The GPU self-check ({@code vitex gpu-check}): which libtorch loaded and whether it sees CUDA
 * ({@link dev.vitex.jobs.gpu.EngineFacts}), every registered method on two devices compared within
 * documented tolerances ({@link dev.vitex.jobs.gpu.DeviceComparison}), and plain throughput by batch
 * size with a suggested {@code batch_size} ({@link dev.vitex.jobs.gpu.BatchSizeProbe}). May use core
 * (model, method) and the bench's plain throughput; no Spark.
 */
package dev.vitex.jobs.gpu;
