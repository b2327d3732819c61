package dev.vitex.jobs.output;

import java.io.Serializable;

/**
 * What a task reports about its executor for the manifest's {@code executors} list (the driver
 * keeps each distinct one once).
 *
 * @param gpuAddress the GPU Spark assigned to the task, null without one
 * @param device the DJL device the model runs on, e.g. {@code cpu()} or {@code gpu(0)}
 * @param note how the device was chosen
 * @param intraOpThreads libtorch's intra-op threads ({@code default} when DJL chose)
 */
public record ExecutorFacts(String executorId, String host, String gpuAddress, String device, String note,
                            String libtorch, String intraOpThreads) implements Serializable {}
