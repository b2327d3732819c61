package dev.vitex.jobs.executor;

import dev.vitex.jobs.config.HadoopConf;
import dev.vitex.jobs.config.JobConfig;
import dev.vitex.jobs.config.RunSpec;
import dev.vitex.jobs.config.TargetSpec;
import dev.vitex.jobs.driver.RunStats;
import dev.vitex.jobs.output.Schemas;

import ai.djl.engine.Engine;
import dev.vitex.core.model.TargetSelector;
import dev.vitex.core.model.TargetSelector.ClassScores;
import dev.vitex.core.grid.UnitGrid;
import dev.vitex.core.grid.Unit;
import dev.vitex.core.method.ExplainContext;
import dev.vitex.core.method.ExplainItem;
import dev.vitex.core.method.Explainer;
import dev.vitex.core.metric.MetricsEvaluator;
import dev.vitex.core.metric.QualityScores;
import dev.vitex.core.image.ImageException;
import dev.vitex.core.image.PreprocessedImage;
import dev.vitex.core.image.Preprocessor;
import dev.vitex.core.model.VitModel;
import dev.vitex.core.method.Attribution;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Explains one partition: reads and preprocesses its images (failures become error rows with their
 * stage), groups them {@code images_per_batch} at a time, picks the targets with one batched
 * no-grad forward, runs every method of the run on the group (one {@link ExplainContext}, the run
 * seed; seeds derive from each image's sha256, so rows do not depend on partitioning), and emits
 * rows of {@link Schemas#TASK_OUTPUT}: attributions, errors, and one status row per image.
 *
 * <p>A failure of the model or of a method on a group is retried image by image, so one bad image
 * costs only its own rows. Nothing an image does can fail the task; a model that cannot be loaded
 * does (that is a configuration problem, and Spark reports it).
 */
public final class PartitionRunner implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger("vitex");
    private static final int MAX_MESSAGE = 2000;

    private final Broadcast<RunSpec> spec;
    private final Broadcast<Set<String>> done;
    private final LongAccumulator imagesDone;
    private final CollectionAccumulator<String> executors;
    private final RunStats stats;

    /**
     * @param done keys {@link #doneKey} of rows already written (resume), or null
     * @param imagesDone progress counter (images finished, whatever their outcome)
     * @param executors one line per task about its executor and device (deduplicated by the driver)
     * @param stats the partition's counts, recorded when it is complete
     */
    public PartitionRunner(Broadcast<RunSpec> spec, Broadcast<Set<String>> done, LongAccumulator imagesDone,
                           CollectionAccumulator<String> executors, RunStats stats) {
        this.spec = spec;
        this.done = done;
        this.imagesDone = imagesDone;
        this.executors = executors;
        this.stats = stats;
    }

    public static String doneKey(String imageId, String method, int target) {
        return imageId + '\u0001' + method + '\u0001' + target;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        if (!input.hasNext()) {
            return java.util.Collections.emptyIterator();
        }
        RunSpec s = spec.value();
        TaskContext task = TaskContext.get();
        int threads = s.djlThreads() > 0 ? s.djlThreads() : (task == null ? 1 : Math.max(1, task.cpus()));
        Engine engine = ExecutorModelCache.engine(threads, s.djlInteropThreads());
        DeviceAssignment device = DeviceAssignment.forTask(task, engine.getGpuCount(), System.getenv("CUDA_VISIBLE_DEVICES"));
        Path cacheDir = s.modelCacheDir().isEmpty()
                ? Path.of(System.getProperty("java.io.tmpdir"), "vitex-models") : Path.of(s.modelCacheDir());
        VitModel model = ExecutorModelCache.get(s.model(), device.device(), s.hadoopConf(), cacheDir);
        String executorId = SparkEnv.get() == null ? "?" : SparkEnv.get().executorId();
        String host = SparkEnv.get() == null ? "?" : SparkEnv.get().blockManager().blockManagerId().host();
        executors.add(String.join("\t", executorId, host, device.sparkAddress() == null ? "" : device.sparkAddress(),
                device.device().toString(), device.note(), engine.getVersion(),
                System.getProperty("ai.djl.pytorch.num_threads", "default")));
        Set<String> doneKeys = new java.util.HashSet<>(done == null ? Set.of() : done.value());
        Worker worker = new Worker(s, model, doneKeys);
        return new GroupIterator(DoneKeys.collecting(input, doneKeys), worker, s.imagesPerBatch(), imagesDone, stats, task == null ? 0 : task.partitionId());
    }

    /** Pulls {@code size} input rows at a time, explains them, and hands out their rows. */
    private static final class GroupIterator implements Iterator<Row> {
        private static final int KIND = Schemas.index("kind");
        private static final int METHOD = Schemas.index("method");
        private static final int STAGE = Schemas.index("stage");
        private static final int STATUS = Schemas.index("status");
        private static final int ELAPSED = Schemas.index("elapsed_ms");
        private final Iterator<Row> input;
        private final Worker worker;
        private final int size;
        private final LongAccumulator imagesDone;
        private final RunStats stats;
        private final int partition;
        private final Map<String, Double> tally = new java.util.HashMap<>();
        private Iterator<Row> current = java.util.Collections.emptyIterator();
        private boolean recorded;

        GroupIterator(Iterator<Row> input, Worker worker, int size, LongAccumulator imagesDone, RunStats stats, int partition) {
            this.input = input;
            this.worker = worker;
            this.size = size;
            this.imagesDone = imagesDone;
            this.stats = stats;
            this.partition = partition;
        }

        @Override
        public boolean hasNext() {
            while (!current.hasNext() && input.hasNext()) {
                List<Row> group = new ArrayList<>(size);
                while (group.size() < size && input.hasNext()) {
                    group.add(input.next());
                }
                List<Row> rows = worker.process(group);
                count(rows);
                worker.drainTally().forEach((k, v) -> tally.merge(k, v, Double::sum));
                current = rows.iterator();
                imagesDone.add(group.size());
            }
            if (!current.hasNext() && !recorded) {
                recorded = true;
                stats.add(new RunStats.Tally(partition, tally));
            }
            return current.hasNext();
        }

        private void count(List<Row> rows) {
            for (Row r : rows) {
                switch (r.getString(KIND)) {
                    case Schemas.ATTRIBUTION -> {
                        tally.merge("rows:" + r.getString(METHOD), 1.0, Double::sum);
                        tally.merge("ms:" + r.getString(METHOD), r.getDouble(ELAPSED), Double::sum);
                    }
                    case Schemas.ERROR -> {
                        tally.merge("errors:" + r.getString(STAGE), 1.0, Double::sum);
                        if (!r.isNullAt(METHOD)) {
                            tally.merge("method_errors:" + r.getString(METHOD), 1.0, Double::sum);
                        }
                    }
                    default -> tally.merge("images:" + r.getString(STATUS), 1.0, Double::sum);
                }
            }
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return current.next();
        }
    }

    /** One image of a group, through its stages. */
    private static final class Image {
        final String id;
        final String path;
        final String label;
        String sha;
        PreprocessedImage pre;
        int labelIndex = -1;
        ClassScores scores;
        int[] targets;
        boolean failed;
        int attributions;
        int errors;

        Image(String id, String path, String label) {
            this.id = id;
            this.path = path;
            this.label = label;
        }
    }

    /** The per-task state: model, explainers, preprocessing. */
    static final class Worker {
        private final RunSpec spec;
        private final VitModel model;
        private final Set<String> done;
        private final Preprocessor preprocessor;
        private final TargetSelector selector;
        private final ExplainContext context;
        private final List<Explainer> explainers = new ArrayList<>();
        private final List<String> params = new ArrayList<>();
        private final MetricsEvaluator metrics;
        private final boolean deletion;
        private final boolean insertion;
        private final Map<String, Double> tally = new java.util.HashMap<>();
        private final int classes;
        private Configuration hadoop;
        private final Map<String, FileSystem> fileSystems = new java.util.HashMap<>();

        Worker(RunSpec spec, VitModel model, Set<String> done) {
            this.spec = spec;
            this.model = model;
            this.done = done;
            this.preprocessor = new Preprocessor(model.card(), spec.maxPixels());
            this.selector = new TargetSelector(model, spec.inferenceMode(), spec.batchSize());
            this.context = new ExplainContext(model, spec.inferenceMode(), spec.batchSize(), spec.granularity(), spec.seed());
            for (String m : spec.methods()) {
                Explainer e = ExecutorModelCache.explainer(m, spec.params().getOrDefault(m, Map.of()), model.card(),
                        spec.model().modelSha256());
                explainers.add(e);
                params.add(e.params(context));
            }
            this.classes = model.card().numClasses();
            this.deletion = spec.metrics().contains("deletion");
            this.insertion = spec.metrics().contains("insertion");
            this.metrics = deletion || insertion ? new MetricsEvaluator() : null;
        }

        /** Counts the worker keeps besides the rows (metric passes and time), drained by the iterator. */
        Map<String, Double> drainTally() {
            Map<String, Double> t = new java.util.HashMap<>(tally);
            tally.clear();
            return t;
        }

        List<Row> process(List<Row> group) {
            List<Row> out = new ArrayList<>();
            List<Image> images = new ArrayList<>(group.size());
            for (Row r : group) {
                Image im = new Image(r.getString(0), r.isNullAt(1) ? null : r.getString(1), r.isNullAt(2) ? null : r.getString(2));
                images.add(im);
                prepare(im, r, out);
            }
            List<Image> ok = images.stream().filter(im -> !im.failed).toList();
            selectTargets(ok, out);
            for (int m = 0; m < explainers.size(); m++) {
                explain(m, images.stream().filter(im -> !im.failed).toList(), out);
            }
            for (Image im : images) {
                // explained: ≥ 1 attribution row; failed: none, and ≥ 1 error row; done: nothing left (resume)
                String status = im.attributions > 0 ? "explained" : im.failed || im.errors > 0 ? "failed" : "done";
                out.add(statusRow(im, status));
            }
            return out;
        }

        /** Read, hash, check the label, decode and preprocess. */
        private void prepare(Image im, Row r, List<Row> out) {
            String reject = r.isNullAt(5) ? null : r.getString(5);
            if (reject != null) {
                fail(im, out, "read", null, "InputException", reject);
                return;
            }
            byte[] bytes;
            try {
                bytes = r.getBoolean(4) ? readFile(im.path) : (r.isNullAt(3) ? null : (byte[]) r.get(3));
                if (bytes == null) {
                    fail(im, out, "read", null, "InputException", "no image bytes (the bytes column is null)");
                    return;
                }
            } catch (IOException | RuntimeException e) {
                fail(im, out, "read", null, e.getClass().getSimpleName(), describe(e));
                return;
            }
            im.sha = ModelRef.sha256(bytes);
            if (spec.targets().kind() == TargetSpec.Kind.LABEL) {
                if (im.label == null || im.label.isBlank()) {
                    fail(im, out, "read", null, "InputException", "no label for --targets label (the image is not in a class "
                            + "folder and there is no label column)");
                    return;
                }
                im.labelIndex = TargetSpec.classIndex(im.label, spec.labels());
                if (im.labelIndex < 0) {
                    fail(im, out, "read", null, "InputException", "unknown label \"" + im.label + "\": not a class of model "
                            + spec.modelName() + " " + TargetSpec.labelsHint(spec.labels()) + " nor an index 0.." + (classes - 1));
                    return;
                }
            }
            try {
                im.pre = preprocessor.preprocess(bytes);
            } catch (ImageException e) {
                fail(im, out, e.stage(), null, "ImageException", describe(e));
            } catch (OutOfMemoryError e) {
                fail(im, out, "decode", null, "OutOfMemoryError", "not enough executor memory to decode this image; lower "
                        + "decode.max_pixels or give executors more memory");
            } catch (RuntimeException e) {
                fail(im, out, "preprocess", null, e.getClass().getSimpleName(), describe(e));
            }
        }

        private byte[] readFile(String path) throws IOException {
            if (hadoop == null) {
                hadoop = HadoopConf.toConfiguration(spec.hadoopConf());
            }
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
            var uri = p.toUri();
            String fsKey = uri.getScheme() + "://" + uri.getAuthority();
            FileSystem fs = fileSystems.get(fsKey);
            if (fs == null) {
                fs = p.getFileSystem(hadoop);
                fileSystems.put(fsKey, fs);
            }
            FileStatus status = fs.getFileStatus(p);
            if (status.getLen() > spec.maxFileBytes()) {
                throw new IOException("file is " + status.getLen() + " bytes, above decode.max_file_bytes = " + spec.maxFileBytes());
            }
            byte[] bytes = new byte[(int) status.getLen()];
            try (InputStream in = fs.open(p)) {
                int off = 0;
                while (off < bytes.length) {
                    int n = in.read(bytes, off, bytes.length - off);
                    if (n < 0) {
                        throw new IOException("file shrank while being read (" + off + " of " + bytes.length + " bytes)");
                    }
                    off += n;
                }
            }
            return bytes;
        }

        /** Every class's score per image (one batched no-grad forward), then the targets. */
        private void selectTargets(List<Image> images, List<Row> out) {
            if (images.isEmpty()) {
                return;
            }
            List<ClassScores> scores;
            try {
                scores = selector.classScores(images.stream().map(im -> im.pre.input()).toList());
                for (int i = 0; i < images.size(); i++) {
                    images.get(i).scores = scores.get(i);
                }
            } catch (RuntimeException e) {
                if (images.size() == 1) {
                    fail(images.get(0), out, "model", null, e.getClass().getSimpleName(), describe(e));
                    return;
                }
                for (Image im : images) { // isolate the image that breaks the batch
                    selectTargets(List.of(im), out);
                }
                return;
            }
            for (Image im : images) {
                im.targets = spec.targets().targets(im.scores, im.labelIndex);
            }
        }

        /** Runs method {@code m} on the images that still need it; retried one image at a time on failure. */
        private void explain(int m, List<Image> images, List<Row> out) {
            Explainer explainer = explainers.get(m);
            String name = spec.methods().get(m);
            List<Image> todo = new ArrayList<>();
            List<ExplainItem> items = new ArrayList<>();
            for (Image im : images) {
                int[] targets = Arrays.stream(im.targets).filter(t -> !done.contains(doneKey(im.id, name, t))).toArray();
                if (targets.length > 0) {
                    todo.add(im);
                    items.add(new ExplainItem(im.sha, im.pre.input(), targets));
                }
            }
            if (items.isEmpty()) {
                return;
            }
            long t0 = System.nanoTime();
            List<Attribution> result;
            try {
                result = explainer.explain(context, items);
                int expected = items.stream().mapToInt(ExplainItem::targetCount).sum();
                if (result.size() != expected) {
                    throw new IllegalStateException(name + " returned " + result.size() + " attributions for " + expected + " targets");
                }
            } catch (RuntimeException e) {
                if (todo.size() == 1) {
                    failMethod(todo.get(0), name, e, out);
                    return;
                }
                for (Image im : todo) {
                    explain(m, List.of(im), out);
                }
                return;
            }
            double perRow = (System.nanoTime() - t0) / 1e6 / result.size();
            QualityScores[] quality = metrics == null ? null : quality(name, todo, items, result, out);
            int k = 0;
            for (int i = 0; i < todo.size(); i++) {
                Image im = todo.get(i);
                for (int t = 0; t < items.get(i).targetCount(); t++) {
                    QualityScores q = quality == null ? null : quality[k];
                    out.add(attributionRow(im, result.get(k++), params.get(m), perRow, q));
                    im.attributions++;
                }
            }
        }

        /**
         * Deletion and insertion AUCs of every attribution (null where they could not be computed:
         * that image gets an error row of stage method and keeps its attribution rows).
         */
        private QualityScores[] quality(String method, List<Image> images, List<ExplainItem> items,
                                        List<Attribution> result, List<Row> out) {
            long t0 = System.nanoTime();
            QualityScores[] q = new QualityScores[result.size()];
            try {
                List<QualityScores> all = metrics.evaluate(context, items, result);
                for (int k = 0; k < q.length; k++) {
                    q[k] = all.get(k);
                }
            } catch (RuntimeException batch) {
                int k = 0;
                for (int i = 0; i < items.size(); i++) { // isolate the image the metrics fail on
                    int n = items.get(i).targetCount();
                    try {
                        List<QualityScores> one = metrics.evaluate(context, List.of(items.get(i)), result.subList(k, k + n));
                        for (int t = 0; t < n; t++) {
                            q[k + t] = one.get(t);
                        }
                    } catch (RuntimeException e) {
                        out.add(errorRow(images.get(i), "method", method, e.getClass().getSimpleName(),
                                "deletion/insertion metrics failed: " + describe(e)));
                        images.get(i).errors++;
                    }
                    k += n;
                }
            }
            long passes = 0;
            for (QualityScores s : q) {
                passes += s == null ? 0 : s.modelPasses();
            }
            tally.merge("metric_passes", (double) passes, Double::sum);
            tally.merge("metric_ms:" + method, (System.nanoTime() - t0) / 1e6, Double::sum);
            return q;
        }

        private void failMethod(Image im, String method, RuntimeException e, List<Row> out) {
            out.add(errorRow(im, "method", method, e.getClass().getSimpleName(), describe(e)));
            im.errors++;
            LOG.warn("{}: {} failed: {}", im.id, method, describe(e));
        }

        private void fail(Image im, List<Row> out, String stage, String method, String errorClass, String message) {
            im.failed = true;
            im.errors++;
            out.add(errorRow(im, stage, method, errorClass, message));
        }

        private Row errorRow(Image im, String stage, String method, String errorClass, String message) {
            Object[] v = new Object[Schemas.TASK_OUTPUT.size()];
            v[Schemas.index("run_id")] = spec.runId();
            v[Schemas.index("image_id")] = im.id;
            v[Schemas.index("source_path")] = im.path;
            v[Schemas.index("image_sha256")] = im.sha;
            v[Schemas.index("method")] = method;
            v[Schemas.index("kind")] = Schemas.ERROR;
            v[Schemas.index("stage")] = stage;
            v[Schemas.index("error_class")] = errorClass;
            v[Schemas.index("message")] = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "…" : message;
            return RowFactory.create(v);
        }

        private Row statusRow(Image im, String status) {
            Object[] v = new Object[Schemas.TASK_OUTPUT.size()];
            v[Schemas.index("run_id")] = spec.runId();
            v[Schemas.index("image_id")] = im.id;
            v[Schemas.index("source_path")] = im.path;
            v[Schemas.index("image_sha256")] = im.sha;
            v[Schemas.index("kind")] = Schemas.IMAGE;
            v[Schemas.index("status")] = status;
            return RowFactory.create(v);
        }

        private Row attributionRow(Image im, Attribution a, String params, double elapsedMs, QualityScores quality) {
            var geometry = im.pre.geometry();
            int inputH = model.card().inputHeight();
            int inputW = model.card().inputWidth();
            UnitGrid grid = new UnitGrid(a.granularity(), a.cellSize(), inputH, inputW);
            if (grid.rows() != a.gridHeight() || grid.cols() != a.gridWidth()) {
                throw new IllegalStateException(a.method() + ": a " + a.gridHeight() + "×" + a.gridWidth() + " grid does not tile "
                        + inputH + "×" + inputW + " with cells of " + a.cellSize());
            }
            List<Unit> units = grid.units(geometry);
            List<Row> unitRows = new ArrayList<>(units.size());
            for (Unit u : units) {
                unitRows.add(RowFactory.create(u.row(), u.col(), u.y0(), u.x0(), u.y1(), u.x1(), u.oy0(), u.ox0(), u.oy1(), u.ox1()));
            }
            float[] s = a.scores();
            List<Float> scores = new ArrayList<>(s.length);
            for (float f : s) {
                scores.add(f);
            }
            int predicted = im.scores.predicted();
            Object[] v = new Object[Schemas.TASK_OUTPUT.size()];
            v[Schemas.index("run_id")] = spec.runId();
            v[Schemas.index("image_id")] = im.id;
            v[Schemas.index("source_path")] = im.path;
            v[Schemas.index("image_sha256")] = im.sha;
            v[Schemas.index("image_width")] = geometry.originalWidth();
            v[Schemas.index("image_height")] = geometry.originalHeight();
            v[Schemas.index("model_name")] = spec.modelName();
            v[Schemas.index("model_sha256")] = spec.model().modelSha256();
            v[Schemas.index("method")] = a.method();
            v[Schemas.index("params")] = params;
            v[Schemas.index("granularity")] = a.granularity().name();
            v[Schemas.index("grid_height")] = a.gridHeight();
            v[Schemas.index("grid_width")] = a.gridWidth();
            v[Schemas.index("patch_size")] = a.cellSize();
            v[Schemas.index("input_height")] = inputH;
            v[Schemas.index("input_width")] = inputW;
            v[Schemas.index("inference_mode")] = spec.inferenceMode().cliName();
            v[Schemas.index("target")] = a.target();
            v[Schemas.index("target_label")] = model.card().label(a.target());
            v[Schemas.index("target_score")] = a.targetScore();
            v[Schemas.index("predicted")] = predicted;
            v[Schemas.index("predicted_label")] = model.card().label(predicted);
            v[Schemas.index("predicted_score")] = im.scores.score(predicted);
            v[Schemas.index("scores")] = CollectionConverters.asScala(scores).toSeq();
            v[Schemas.index("units")] = CollectionConverters.asScala(unitRows).toSeq();
            v[Schemas.index("deletion_auc")] = quality != null && deletion ? quality.deletionAuc() : null;
            v[Schemas.index("insertion_auc")] = quality != null && insertion ? quality.insertionAuc() : null;
            v[Schemas.index("model_passes")] = a.modelPasses();
            v[Schemas.index("elapsed_ms")] = elapsedMs;
            v[Schemas.index("completeness_gap")] = a.completenessGap();
            v[Schemas.index("kind")] = Schemas.ATTRIBUTION;
            return RowFactory.create(v);
        }

        private static String describe(Throwable e) {
            String m = e.getMessage();
            String text = m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
            Throwable cause = e.getCause();
            if (cause != null && cause.getMessage() != null && !text.contains(cause.getMessage())) {
                text += " (caused by " + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
            }
            return JobConfig.oneLine(text);
        }
    }
}
