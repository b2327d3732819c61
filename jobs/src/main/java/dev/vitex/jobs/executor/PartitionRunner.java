package dev.vitex.jobs.executor;

import ai.djl.engine.Engine;
import dev.vitex.core.model.VitModel;
import dev.vitex.core.pipeline.Failures;
import dev.vitex.core.pipeline.GroupExplainer;
import dev.vitex.core.pipeline.ImageInput;
import dev.vitex.jobs.config.RunSpec;
import dev.vitex.jobs.driver.RunStats;
import dev.vitex.jobs.input.ImageFileReader;
import dev.vitex.jobs.output.ExecutorFacts;
import dev.vitex.jobs.output.RowEncoder;
import dev.vitex.jobs.output.Schemas;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;

/**
 * Explains one partition: rows of {@link Schemas#INPUT} in, {@code images_per_batch} at a time
 * through core's {@link GroupExplainer}, rows of {@link Schemas#TASK_OUTPUT} out through a
 * {@link RowEncoder}, in Spark's internal form (the wave's {@code output.TaskTables} writes them into the table files).
 * Nothing an image does can fail the task; a model that cannot be loaded does (that is a configuration
 * problem, and Spark reports it), and so does a broken device (the model is evicted first, see
 * {@link DeviceFaultGuard}).
 */
public final class PartitionRunner implements FlatMapFunction<Iterator<Row>, InternalRow> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<RunSpec> spec;
    private final LongAccumulator imagesDone;
    private final CollectionAccumulator<ExecutorFacts> executors;
    private final RunStats stats;

    /**
     * @param imagesDone progress counter (images finished, whatever their outcome)
     * @param executors one record per task about its executor and device (deduplicated by the driver)
     * @param stats the partition's counts, recorded when it is complete
     */
    public PartitionRunner(Broadcast<RunSpec> spec, LongAccumulator imagesDone,
                           CollectionAccumulator<ExecutorFacts> executors, RunStats stats) {
        this.spec = spec;
        this.imagesDone = imagesDone;
        this.executors = executors;
        this.stats = stats;
    }

    public static String doneKey(String imageId, String method, int target) {
        return imageId + '\u0001' + method + '\u0001' + target;
    }

    @Override
    public Iterator<InternalRow> call(Iterator<Row> input) {
        if (!input.hasNext()) {
            return Collections.emptyIterator();
        }
        RunSpec s = spec.value();
        TaskContext task = TaskContext.get();
        int threads = s.djlThreads() > 0 ? s.djlThreads() : (task == null ? 1 : Math.max(1, task.cpus()));
        Engine engine = ExecutorModelCache.engine(threads, s.djlInteropThreads());
        DeviceAssignment device = DeviceAssignment.forTask(task, engine.getGpuCount(), System.getenv("CUDA_VISIBLE_DEVICES"));
        Path cacheDir = s.modelCacheDir().isEmpty()
                ? Path.of(System.getProperty("java.io.tmpdir"), "vitex-models") : Path.of(s.modelCacheDir());
        VitModel model = ExecutorModelCache.get(s.model(), device.device(), s.gpuConcurrentBatches(), s.hadoopConf(), cacheDir);
        SparkEnv env = SparkEnv.get();
        String address = device.sparkAddress();
        executors.add(new ExecutorFacts(env == null ? "?" : env.executorId(),
                env == null ? "?" : env.blockManager().blockManagerId().host(),
                address == null || address.isEmpty() ? null : address, device.device().toString(),
                device.note() + "; model batches on " + device.device() + ": " + model.gate(),
                engine.getVersion(), System.getProperty("ai.djl.pytorch.num_threads", "default")));

        // resume: the keys of rows already written come with the input rows (DoneKeys: joined in Spark)
        Set<String> doneKeys = new HashSet<>();
        GroupExplainer explainer = new GroupExplainer(model, s.pipelineOptions(),
                (m, p) -> ExecutorModelCache.explainer(m, p, model.card(), s.model().modelSha256()),
                (id, method, target) -> doneKeys.contains(doneKey(id, method, target)));
        RowEncoder encoder = new RowEncoder(new RowEncoder.RunFacts(s.runId(), s.modelName(), s.model().modelSha256(),
                s.inferenceMode().cliName(), s.metrics().contains("deletion"), s.metrics().contains("insertion")),
                model.card());
        ImageFileReader files = new ImageFileReader(s.hadoopConf(), s.maxFileBytes());
        GroupIterator rows = new GroupIterator(DoneKeys.collecting(input, doneKeys), s.imagesPerBatch(), r -> image(r, files),
                explainer, encoder, imagesDone, stats, task == null ? 0 : task.partitionId());
        return new DeviceFaultGuard<>(rows, () -> ExecutorModelCache.evict(s.model(), device.device()));
    }

    /** An input row (read by column name) to the pipeline's input; a file that cannot be read becomes a read error. */
    private static ImageInput image(Row r, ImageFileReader files) {
        String id = r.getAs("image_id");
        String label = r.getAs("label");
        String reject = r.getAs("reject");
        if (reject != null) {
            return ImageInput.unreadable(id, label, "InputException", reject);
        }
        byte[] bytes;
        try {
            bytes = r.<Boolean>getAs("fetch") ? files.read(r.getAs("source_path")) : r.getAs("content");
        } catch (IOException | RuntimeException e) {
            return ImageInput.unreadable(id, label, e.getClass().getSimpleName(), Failures.describe(e));
        }
        return bytes == null ? ImageInput.unreadable(id, label, "InputException", "no image bytes (the bytes column is null)")
                : ImageInput.encoded(id, label, bytes);
    }
}
