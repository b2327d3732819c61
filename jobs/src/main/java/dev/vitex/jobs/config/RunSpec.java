package dev.vitex.jobs.config;

import dev.vitex.core.grid.Granularity;
import dev.vitex.core.image.DecodeOptions;
import dev.vitex.core.model.InferenceMode;
import dev.vitex.core.model.TargetRule;
import dev.vitex.core.pipeline.PipelineOptions;
import dev.vitex.jobs.executor.ModelRef;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * Everything a task needs to explain its partition, decided on the driver (broadcast once per run).
 *
 * @param methods command-line names, in run order
 * @param params each method's raw parameters (validated on the driver)
 * @param labels the card's class names (for target_label and label resolution)
 * @param djlThreads libtorch intra-op threads per JVM (the task's CPUs)
 * @param gpuConcurrentBatches model batches at once per GPU and executor JVM (option gpu.concurrent_batches)
 * @param hadoopConf the driver's Hadoop settings, to read input files from tasks
 * @param metrics quality metrics per row (deletion, insertion), empty for none
 * @param decode the decoding caps and orientation policy (options decode.*)
 */
public record RunSpec(
        String runId,
        ModelRef model,
        String modelName,
        List<String> labels,
        List<String> methods,
        Map<String, Map<String, String>> params,
        Granularity granularity,
        TargetRule targets,
        InferenceMode inferenceMode,
        int batchSize,
        int imagesPerBatch,
        long seed,
        DecodeOptions decode,
        long maxFileBytes,
        int djlThreads,
        int djlInteropThreads,
        int gpuConcurrentBatches,
        String modelCacheDir,
        Map<String, String> hadoopConf,
        List<String> metrics) implements Serializable {

    /** How core's pipeline explains the run's images. */
    public PipelineOptions pipelineOptions() {
        return new PipelineOptions(PipelineOptions.methods(methods, params), inferenceMode, batchSize, granularity, seed,
                targets, metrics, decode);
    }
}
