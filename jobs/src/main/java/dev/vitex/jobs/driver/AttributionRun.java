package dev.vitex.jobs.driver;

import dev.vitex.jobs.config.ConfigException;
import dev.vitex.jobs.config.HadoopConf;
import dev.vitex.jobs.config.JobConfig;
import dev.vitex.jobs.config.RunSpec;
import dev.vitex.jobs.config.TargetSpec;
import dev.vitex.jobs.executor.ExecutorModelCache;
import dev.vitex.jobs.executor.ModelRef;
import dev.vitex.jobs.executor.PartitionRunner;
import dev.vitex.jobs.input.ImageSource;
import dev.vitex.jobs.output.AttributionSink;
import dev.vitex.jobs.output.DoneWork;
import dev.vitex.jobs.output.GuardedOutput;
import dev.vitex.jobs.output.Redaction;
import dev.vitex.jobs.output.RunManifest;
import dev.vitex.jobs.output.RunReport;
import dev.vitex.jobs.output.Schemas;
import dev.vitex.jobs.output.WaveCommitter;

import static org.apache.spark.sql.functions.col;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.method.ExplainContext;
import dev.vitex.core.method.Explainer;
import dev.vitex.core.method.MaskExplainer;
import dev.vitex.core.method.Methods;
import dev.vitex.core.method.Occlusion;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.model.VitModel;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the job: every check that can fail without Spark first ({@link #prepare}), then the
 * Spark part: images → partitions → {@link PartitionRunner} → {@link AttributionSink}, with progress
 * lines, the manifest and a final summary.
 */
public final class AttributionRun {
    private static final Logger LOG = LoggerFactory.getLogger("vitex");
    /** Spark sessions this JVM started (tests check bad configurations never start one). */
    public static final AtomicInteger SPARK_STARTS = new AtomicInteger();

    private final JobConfig config;
    private final List<String> command;
    private final PrintStream out;
    private boolean keepSamples;

    /** The outcome, for callers that want more than the exit status (the demo, tests). */
    public record Result(String runId, AttributionSink sink, long imagesRead, long explained, long failed,
                         Map<String, Long> rowsPerMethod, Map<String, Long> errorsByStage, double seconds,
                         List<Sample> samples, String report) {}

    /** One attribution of one image, kept for the demo's printout. */
    public record Sample(String imageId, String method, String targetLabel, float targetScore, String granularity,
                         int gridHeight, int gridWidth, float[] scores) {}

    /** What {@link #prepare} established. */
    private record Prepared(Instant started, long t0, Configuration hadoop, ModelCard card, ModelRef ref,
                            TargetSpec targets, Map<String, String> methodParams, ImageSource.Plan plan,
                            AttributionSink sink, String master, boolean local, String libtorch, long validationMs) {}

    public AttributionRun(JobConfig config, List<String> command, PrintStream out) {
        this.config = config;
        this.command = command;
        this.out = out;
    }

    /** Keep every method's attribution of the first explained image (for the demo's printout). */
    public AttributionRun keepSamples() {
        this.keepSamples = true;
        return this;
    }

    // ---- before Spark --------------------------------------------------------------------------

    private Prepared prepare() {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Configuration hadoop = new Configuration();
        config.spark.forEach((k, v) -> {
            if (k.startsWith("spark.hadoop.")) {
                hadoop.set(k.substring("spark.hadoop.".length()), v);
            }
        });

        if (config.model.isEmpty()) {
            throw new ConfigException("no model: give --model CARD.json (the model card beside its TorchScript file)");
        }
        Path cardPath = ModelFetch.toDriver(config.model, hadoop);
        ModelCard card;
        try {
            card = ModelCard.load(cardPath);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(JobConfig.oneLine(e.getMessage()), e);
        }
        String modelSha = ModelRef.sha256(card.modelFile());
        String location = ModelRef.isLocal(config.model) ? cardPath.toString() : config.model;
        ModelRef ref = new ModelRef(location, cardPath.getFileName().toString(),
                card.modelFile().getFileName().toString(), modelSha);
        TargetSpec targets = TargetSpec.parse(config.targets, card);

        for (String m : config.params.keySet()) {
            if (!Methods.names().contains(m)) {
                throw new ConfigException("--param " + m + ".…: unknown method \"" + m + "\" (known: "
                        + String.join(", ", Methods.names()) + ")");
            }
            if (!config.methods.contains(m)) {
                LOG.warn("parameters for {} are ignored: it is not in --methods {}", m, String.join(",", config.methods));
            }
        }
        List<Explainer> explainers = new ArrayList<>();
        for (String m : config.methods) {
            try {
                explainers.add(ExecutorModelCache.explainer(m, config.paramsOf(m), card, modelSha));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(JobConfig.oneLine(e.getMessage()), e);
            }
        }
        for (Explainer e : explainers) {
            if (config.granularity == Granularity.PIXEL && e instanceof MaskExplainer mask && !(e instanceof Occlusion)
                    && mask.cellSize() != 1) {
                throw new ConfigException(e.name() + " at pixel granularity needs cell_size = 1 (--param " + e.name()
                        + ".cell_size=1), got " + mask.cellSize() + "; or use --granularity patch");
            }
        }
        ImageSource.Plan plan = ImageSource.plan(config, hadoop);
        String master = master();
        boolean local = master.startsWith("local");

        Map<String, String> params = new LinkedHashMap<>();
        String libtorch = null;
        VitModel model = config.validateOnDriver ? driverModel(card, ref, local, hadoop) : null;
        boolean closeModel = model != null && !local; // in local mode the driver is the executor: tasks reuse it
        try {
            ExplainContext context = new ExplainContext(model, config.inferenceMode, config.batchSize, config.granularity, config.seed);
            for (Explainer e : explainers) {
                if (model != null) {
                    try {
                        e.explain(context, List.of()); // a method refuses settings the model cannot serve here
                    } catch (IllegalArgumentException ex) {
                        throw new ConfigException(JobConfig.oneLine(ex.getMessage()), ex);
                    }
                }
                try {
                    params.put(e.name(), e.params(context));
                } catch (RuntimeException ex) {
                    params.put(e.name(), "{}");
                }
            }
            if (model != null) {
                libtorch = Engine.getEngine("PyTorch").getVersion();
            }
        } catch (RuntimeException e) {
            if (closeModel) {
                model.close();
            }
            throw e;
        }
        JsonObject fingerprint = RunManifest.fingerprint(modelSha, plan.root(), targets.text(), config.granularity.name(),
                config.inferenceMode.cliName(), config.layout.name().toLowerCase(Locale.ROOT), params);
        AttributionSink sink;
        try {
            sink = AttributionSink.open(config, hadoop, fingerprint);
        } catch (RuntimeException e) {
            if (closeModel) {
                model.close();
            }
            throw e;
        }
        if (closeModel) {
            model.close();
        }
        long validationMs = (System.nanoTime() - t0) / 1_000_000;
        return new Prepared(started, t0, hadoop, card, ref, targets, params, plan, sink, master, local, libtorch, validationMs);
    }

    /**
     * Loads the model on the driver's CPU and runs one forward, or returns null when the driver has
     * no libtorch. In local mode the model goes into the JVM's {@link ExecutorModelCache}, where the
     * tasks find it.
     */
    private VitModel driverModel(ModelCard card, ModelRef ref, boolean local, Configuration hadoop) {
        try {
            ExecutorModelCache.engine(djlThreads(), config.djlInteropThreads);
        } catch (RuntimeException | LinkageError e) {
            if (local) {
                throw new ConfigException("libtorch cannot be loaded: " + JobConfig.oneLine(String.valueOf(e.getMessage()))
                        + " (the cpu job jar and scripts/vitex carry the CPU natives; with the gpu jar set PYTORCH_LIBRARY_PATH, "
                        + "PYTORCH_FLAVOR=cu128 and PYTORCH_VERSION=2.7.1)", e);
            }
            LOG.info("driver-side model check skipped: no libtorch on the driver ({})", JobConfig.oneLine(String.valueOf(e.getMessage())));
            return null;
        }
        VitModel model;
        try {
            model = local ? ExecutorModelCache.get(ref, Device.cpu(), HadoopConf.toMap(hadoop), tempModels())
                    : VitModel.load(card, Device.cpu());
        } catch (RuntimeException e) {
            throw new ConfigException(JobConfig.oneLine(e.getMessage()), e);
        }
        try (NDManager scope = model.newScope()) {
            model.scores(scope.zeros(new Shape(1, card.channels(), card.inputHeight(), card.inputWidth())), config.inferenceMode);
        } catch (RuntimeException e) {
            if (!local) {
                model.close();
            }
            throw new ConfigException("model " + card.modelFile() + " does not run as its card says: "
                    + JobConfig.oneLine(e.getMessage()), e);
        }
        return model;
    }

    private static Path tempModels() {
        return Path.of(System.getProperty("java.io.tmpdir"), "vitex-models");
    }

    private int taskCpus() {
        String v = config.spark.getOrDefault("spark.task.cpus", System.getProperty("spark.task.cpus", "1"));
        try {
            return Math.max(1, Integer.parseInt(v.trim()));
        } catch (NumberFormatException e) {
            throw new ConfigException("Spark property spark.task.cpus must be an integer, got \"" + v + "\"");
        }
    }

    private int djlThreads() {
        return config.djlThreads > 0 ? config.djlThreads : taskCpus();
    }

    /** --master, else what spark-submit set, else the embedded default local[*]. */
    private String master() {
        if (!config.master.isEmpty()) {
            return config.master;
        }
        String submitted = config.spark.getOrDefault("spark.master", System.getProperty("spark.master", ""));
        return submitted.isEmpty() ? "local[*]" : submitted;
    }

    // ---- the run ---------------------------------------------------------------------------------

    /** Runs the job; {@link ConfigException} for configuration problems (before Spark when possible). */
    public Result execute() {
        Prepared p = prepare();
        String runId = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(p.started())
                + "-" + UUID.randomUUID().toString().substring(0, 8);
        LOG.info("run {}: {} → {} ({} mode, {} layout)", runId, describeInput(p.plan()), p.sink().display(),
                config.mode.name().toLowerCase(Locale.ROOT), config.layout.name().toLowerCase(Locale.ROOT));
        List<String> notes = new ArrayList<>();
        try (GuardedOutput guarded = GuardedOutput.open(p.sink().fs(), p.sink().path(), runId, config.mode,
                Duration.ofMillis(Math.round(config.lockTimeoutS * 1000)), line -> {
                    LOG.warn(line);
                    notes.add(line);
                })) {
            RunJournal journal = new RunJournal(guarded, new RunManifest(runId, p.started(), command), Redaction.of(config.spark),
                    command);
            notes.forEach(journal::note);
            journal.config(RunManifest.parse(config.json()))
                    .put("fingerprint", fingerprint(p))
                    .put("model", modelJson(p))
                    .put("input", inputJson(p))
                    .put("output", outputJson(p, 0));
            journal.write();
            try {
                return execute(p, runId, guarded, journal);
            } catch (RuntimeException e) {
                journal.finish(e instanceof RunFailedException ? e.getMessage()
                        : JobConfig.oneLine(e.getClass().getSimpleName() + ": " + e.getMessage()));
                throw e;
            }
        }
    }

    private Result execute(Prepared p, String runId, GuardedOutput guarded, RunJournal journal) {
        AttributionSink sink = p.sink().rooted(guarded.root());
        LOG.info("model {} ({} classes, input {}×{}, patch {}), methods {}, targets {}, granularity {}",
                p.card().name(), p.card().numClasses(), p.card().inputHeight(), p.card().inputWidth(), p.card().patchSize(),
                String.join(",", config.methods), p.targets().text(), config.granularity.name().toLowerCase(Locale.ROOT));
        if (p.plan().skippedTotal() > 0) {
            LOG.info("{} non-image file(s) {}: {} (e.g. {})", p.plan().skippedTotal(),
                    config.otherFiles == JobConfig.OtherFiles.SKIP ? "skipped" : "become error rows",
                    ImageSource.describeSkipped(p.plan().skipped()), String.join(", ", p.plan().skippedExamples()));
        }

        long sparkT0 = System.nanoTime();
        scala.Option<SparkSession> existing = SparkSession.getActiveSession().isDefined()
                ? SparkSession.getActiveSession() : SparkSession.getDefaultSession();
        boolean ownSession = existing.isEmpty() || existing.get().sparkContext().isStopped();
        SparkSession spark = ownSession ? startSpark(p) : existing.get();
        if (!ownSession) {
            LOG.info("using the Spark session of this application ({}); --master and Spark properties of the run do not apply",
                    spark.sparkContext().master());
        }
        long sparkStartMs = (System.nanoTime() - sparkT0) / 1_000_000;
        Progress progress = null;
        WaveCommitter committer = new WaveCommitter(spark, sink.fs(), guarded.root(), config.layout);
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            long computeT0 = System.nanoTime();
            Dataset<Row> input = ImageSource.load(spark, config, p.plan());
            Dataset<Row> source = input;
            long skippedDone = 0;
            if (config.mode == JobConfig.Mode.RESUME && sink.hasPrevious() && sink.hasTable(AttributionSink.ATTRIBUTIONS)) {
                DoneWork done = DoneWork.of(spark, sink.uri() + "/" + AttributionSink.ATTRIBUTIONS, config.methods,
                        p.targets().count());
                skippedDone = done.completeImages(input);
                input = done.remaining(input);
                LOG.info("resume: {} image(s) already fully explained are skipped", skippedDone);
            }
            long total = p.plan().format() == JobConfig.InputFormat.PARQUET ? input.count()
                    : p.plan().images() + (config.otherFiles == JobConfig.OtherFiles.ERROR ? p.plan().skippedTotal() : 0) - skippedDone;
            int parallelism = spark.sparkContext().defaultParallelism();
            WavePlan plan = WavePlan.of(total, config.partitions, config.wavePartitions, parallelism);
            LOG.info("{} image(s) to explain in {} partition(s), {} wave(s) of about {} image(s), on {} ({} task slot(s))",
                    total, plan.partitions(), plan.waves(), plan.imagesPerWave(), spark.sparkContext().master(), parallelism);
            journal.put("output", outputJson(p, plan.partitions())).plan(plan, skippedDone);

            RunSpec spec = new RunSpec(runId, p.ref(), p.card().name(), p.card().labels(), config.methods, config.params,
                    config.granularity, p.targets(), config.inferenceMode, config.batchSize, config.imagesPerBatch, config.seed,
                    config.maxPixels, config.maxFileBytes, config.djlThreads, config.djlInteropThreads, "",
                    HadoopConf.toMap(spark.sparkContext().hadoopConfiguration()), config.metrics);
            Broadcast<RunSpec> specB = jsc.broadcast(spec);
            LongAccumulator imagesDone = spark.sparkContext().longAccumulator("vitex.images");
            CollectionAccumulator<String> executors = spark.sparkContext().collectionAccumulator("vitex.executors");
            List<RunStats> waveStats = new ArrayList<>(); // one per wave: partition ids restart in each wave's job
            progress = new Progress(imagesDone, total, config.progressIntervalS);
            spark.sparkContext().addSparkListener(progress);

            long alreadyDone = skippedDone;
            Dataset<Row> output;
            try {
                Waves.run(input, plan, runId, committer,
                        wave -> {
                            RunStats stats = new RunStats();
                            spark.sparkContext().register(stats, "vitex.stats");
                            waveStats.add(stats);
                            return wave.mapPartitions(new PartitionRunner(specB, null, imagesDone, executors, stats),
                                    Encoders.row(Schemas.TASK_OUTPUT));
                        },
                        (k, rows) -> {
                            Map<String, Long> so = RunStats.counts(RunStats.totals(waveStats), "images");
                            journal.waveCommitted(k, plan.waves(), so.values().stream().mapToLong(Long::longValue).sum(),
                                    so.getOrDefault("explained", 0L), so.getOrDefault("failed", 0L), alreadyDone);
                            LOG.info("wave {}/{} committed: {} attribution row(s), {} error row(s)", k + 1, plan.waves(),
                                    rows.attributionRows(), rows.errorRows());
                        });
                output = committer.runOutput(runId);
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot commit into " + guarded.root() + ": " + e.getMessage(), e);
            }
            long computeMs = (System.nanoTime() - computeT0) / 1_000_000;
            LOG.info(progress.line());
            progress.close();
            spark.sparkContext().removeSparkListener(progress);

            Map<String, Double> totals = RunStats.totals(waveStats);
            Map<String, Long> rows = new TreeMap<>();
            Map<String, Double> methodMs = new TreeMap<>();
            for (String m : config.methods) {
                rows.put(m, 0L);
                methodMs.put(m, 0.0);
            }
            rows.putAll(RunStats.counts(totals, "rows"));
            methodMs.putAll(RunStats.values(totals, "ms"));
            Map<String, Long> errors = RunStats.counts(totals, "errors");
            Map<String, Long> methodErrors = RunStats.counts(totals, "method_errors");
            Map<String, Long> status = RunStats.counts(totals, "images");
            long errorRows = errors.values().stream().mapToLong(Long::longValue).sum();

            RunReport.Written report = null;
            String reportMissing = null;
            long reportT0 = System.nanoTime();
            if (config.report) {
                Map<String, Long> shown = new LinkedHashMap<>();
                shown.put("images read", status.values().stream().mapToLong(Long::longValue).sum());
                shown.put("images explained", status.getOrDefault("explained", 0L));
                shown.put("images failed", status.getOrDefault("failed", 0L));
                config.methods.forEach(m -> shown.put("rows: " + m, rows.getOrDefault(m, 0L)));
                errors.forEach((stage, n) -> shown.put("errors: " + stage, n));
                try { // best effort: the data is written; a report failure must not lose the manifest
                    report = RunReport.write(output, source, sink, spark.sparkContext().hadoopConfiguration(), runId,
                            p.card().name(), config.methods, shown, status.getOrDefault("explained", 0L), errorRows);
                    LOG.info("report: {} ({} image(s) shown)", report.index(), report.images());
                } catch (RuntimeException e) {
                    reportMissing = JobConfig.oneLine(e.getClass().getSimpleName() + ": " + e.getMessage());
                    LOG.warn("no report: {}", reportMissing);
                }
            }
            long reportMs = (System.nanoTime() - reportT0) / 1_000_000;
            List<Sample> samples = keepSamples ? samples(output) : List.of();
            long explained = status.getOrDefault("explained", 0L);
            long failed = status.getOrDefault("failed", 0L);
            long read = status.values().stream().mapToLong(Long::longValue).sum();
            double seconds = (System.nanoTime() - p.t0()) / 1e9;

            Set<String> executorLines = new LinkedHashSet<>(executors.value());
            JsonArray executorJson = new JsonArray();
            String libtorch = p.libtorch();
            for (String line : executorLines) {
                String[] f = line.split("\t", -1);
                JsonObject e = new JsonObject();
                e.addProperty("executor_id", f[0]);
                e.addProperty("host", f[1]);
                e.addProperty("gpu_address", f[2].isEmpty() ? null : f[2]);
                e.addProperty("device", f[3]);
                e.addProperty("device_note", f[4]);
                e.addProperty("libtorch", f[5]);
                e.addProperty("intra_op_threads", f[6]);
                executorJson.add(e);
                libtorch = f[5];
                LOG.info("executor {} on {}: {}", f[0], f[1], f[4]);
            }

            JsonObject counts = new JsonObject();
            counts.addProperty("images_listed", p.plan().images());
            counts.addProperty("images_read", read);
            counts.addProperty("images_explained", explained);
            counts.addProperty("images_failed", failed);
            counts.addProperty("images_already_done", skippedDone + status.getOrDefault("done", 0L));
            counts.addProperty("waves", plan.waves());
            counts.addProperty("waves_committed", plan.waves());
            counts.add("files_skipped", RunManifest.numbers(config.otherFiles == JobConfig.OtherFiles.SKIP
                    ? p.plan().skipped() : Map.of())); // with images.other_files = error they are images read and failed
            counts.add("rows_per_method", RunManifest.numbers(rows));
            counts.add("errors_by_stage", RunManifest.numbers(errors));
            counts.add("method_errors", RunManifest.numbers(methodErrors));
            counts.addProperty("error_rows", errors.values().stream().mapToLong(Long::longValue).sum());

            JsonObject timings = new JsonObject();
            timings.addProperty("total_ms", Math.round(seconds * 1000));
            timings.addProperty("validation_ms", p.validationMs());
            timings.addProperty("spark_start_ms", sparkStartMs);
            timings.addProperty("explain_and_write_ms", computeMs);
            timings.addProperty("images_per_s", read / Math.max(computeMs / 1000.0, 1e-9));
            timings.add("method_task_ms", RunManifest.numbers(methodMs));
            if (config.report) {
                timings.addProperty("report_ms", reportMs);
            }

            journal.put("versions", RunManifest.versions(spark.version(), libtorch))
                    .put("spark", sparkInfo(spark))
                    .put("output", outputJson(p, plan.partitions()))
                    .put("methods", methods(p))
                    .put("counts", counts)
                    .put("timings", timings)
                    .put("executors", executorJson)
                    .put("metrics", metricsJson(totals))
                    .put("report", reportJson(report, reportMissing));
            String sick = RunHealth.verdict(read, failed, rows, methodErrors, config.maxFailedFraction,
                    errorRows == 0 ? null : RunHealth.mostFrequentError(spark, sink.uri() + "/" + AttributionSink.ERRORS, runId));
            journal.finish(sick);
            committer.dropRunOutput(runId);
            try {
                guarded.commit();
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot move the new run into " + p.sink().display() + ": " + e.getMessage(), e);
            }
            summary(runId, p, read, explained, failed, rows, methodMs, errors, seconds);
            if (sick != null) {
                throw new RunFailedException(sick);
            }
            return new Result(runId, p.sink(), read, explained, failed, rows, errors, seconds, samples,
                    report == null ? null : report.index());
        } finally {
            if (progress != null) {
                progress.close();
                spark.sparkContext().removeSparkListener(progress);
            }
            if (ownSession) {
                spark.stop();
            }
        }
    }

    private List<Sample> samples(Dataset<Row> output) {
        Dataset<Row> attributions = output.filter(col("kind").equalTo(Schemas.ATTRIBUTION));
        List<Row> first = attributions.select("image_id").orderBy("image_id").limit(1).collectAsList();
        if (first.isEmpty()) {
            return List.of();
        }
        List<Sample> samples = new ArrayList<>();
        List<Row> rows = attributions.filter(col("image_id").equalTo(first.get(0).getString(0)))
                .select("image_id", "method", "target_label", "target_score", "granularity", "grid_height", "grid_width",
                        "scores", "target")
                .orderBy("target").collectAsList();
        for (String m : config.methods) {
            for (Row r : rows) {
                if (r.getString(1).equals(m)) {
                    List<Float> list = r.getList(7);
                    float[] scores = new float[list.size()];
                    for (int i = 0; i < scores.length; i++) {
                        scores[i] = list.get(i);
                    }
                    samples.add(new Sample(r.getString(0), m, r.getString(2), r.getFloat(3), r.getString(4), r.getInt(5),
                            r.getInt(6), scores));
                    break;
                }
            }
        }
        return samples;
    }

    private JsonObject metricsJson(Map<String, Double> totals) {
        if (config.metrics.isEmpty()) {
            return null;
        }
        JsonObject o = new JsonObject();
        JsonArray requested = new JsonArray();
        config.metrics.forEach(requested::add);
        o.add("requested", requested);
        o.addProperty("steps", "min(units, 32)");
        o.addProperty("probability", "softmax of the target");
        o.addProperty("model_passes", Math.round(totals.getOrDefault("metric_passes", 0.0)));
        o.add("task_ms", RunManifest.numbers(RunStats.values(totals, "metric_ms")));
        return o;
    }

    private static JsonObject reportJson(RunReport.Written report, String missing) {
        if (report == null && missing == null) {
            return null;
        }
        JsonObject o = new JsonObject();
        if (report == null) {
            o.addProperty("missing", missing);
            return o;
        }
        o.addProperty("index", report.index());
        o.addProperty("images_shown", report.images());
        return o;
    }

    private JsonObject fingerprint(Prepared p) {
        return RunManifest.fingerprint(p.ref().modelSha256(), p.plan().root(), p.targets().text(), config.granularity.name(),
                config.inferenceMode.cliName(), config.layout.name().toLowerCase(Locale.ROOT), p.methodParams());
    }

    private JsonObject modelJson(Prepared p) {
        JsonObject model = new JsonObject();
        model.addProperty("name", p.card().name());
        model.addProperty("card_path", config.model);
        model.addProperty("file", p.card().modelFile().getFileName().toString());
        model.addProperty("sha256", p.ref().modelSha256());
        model.add("card", RunManifest.card(p.card().cardPath()));
        return model;
    }

    private JsonObject inputJson(Prepared p) {
        JsonObject inputJson = new JsonObject();
        inputJson.addProperty("path", config.input);
        inputJson.addProperty("root", p.plan().root());
        inputJson.addProperty("format", p.plan().format().name().toLowerCase(Locale.ROOT));
        return inputJson;
    }

    private JsonObject outputJson(Prepared p, int partitions) {
        JsonObject outputJson = new JsonObject();
        outputJson.addProperty("path", p.sink().uri());
        outputJson.addProperty("mode", config.mode.name().toLowerCase(Locale.ROOT));
        outputJson.addProperty("layout", config.layout.name().toLowerCase(Locale.ROOT));
        outputJson.addProperty("partitions", partitions);
        return outputJson;
    }

    private static JsonObject methods(Prepared p) {
        JsonObject methods = new JsonObject();
        p.methodParams().forEach(methods::addProperty);
        return methods;
    }


    private static JsonObject sparkInfo(SparkSession spark) {
        JsonObject o = new JsonObject();
        o.addProperty("master", spark.sparkContext().master());
        o.addProperty("app_id", spark.sparkContext().applicationId());
        o.addProperty("default_parallelism", spark.sparkContext().defaultParallelism());
        return o;
    }

    private SparkSession startSpark(Prepared p) {
        SparkSession.Builder b = SparkSession.builder().appName(config.appName);
        if (!config.master.isEmpty() || System.getProperty("spark.master") == null) {
            b = b.master(p.master());
        }
        for (Map.Entry<String, String> e : config.spark.entrySet()) {
            b = b.config(e.getKey(), e.getValue());
        }
        if (p.local()) {
            for (String k : List.of("spark.driver.host", "spark.driver.bindAddress")) {
                if (!config.spark.containsKey(k) && System.getProperty(k) == null) {
                    b = b.config(k, "127.0.0.1");
                }
            }
        }
        if (!p.local() && System.getProperty("spark.submit.deployMode") == null && !config.spark.containsKey("spark.jars")) {
            LOG.warn("master {} without spark-submit: executors only find vitex's classes if they are on their class path; "
                    + "submit the job jar with scripts/submit.sh or spark-submit instead", p.master());
        }
        SPARK_STARTS.incrementAndGet();
        return b.getOrCreate();
    }

    private static String describeInput(ImageSource.Plan plan) {
        return plan.format() == JobConfig.InputFormat.PARQUET ? "Parquet " + plan.input()
                : plan.images() + " image(s) under " + plan.input();
    }

    private void summary(String runId, Prepared p, long read, long explained, long failed, Map<String, Long> rows,
                         Map<String, Double> methodMs, Map<String, Long> errors, double seconds) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "run %s finished in %s: %d image(s) read, %d explained, %d failed",
                runId, Progress.duration(seconds), read, explained, failed));
        b.append(String.format(Locale.ROOT, "%n  %-22s %8s %12s %9s", "method", "rows", "task time", "ms/row"));
        for (String m : config.methods) {
            long n = rows.getOrDefault(m, 0L);
            double ms = methodMs.getOrDefault(m, 0.0);
            b.append(String.format(Locale.ROOT, "%n  %-22s %8d %11.1fs %9.2f", m, n, ms / 1000, n == 0 ? 0 : ms / n));
        }
        b.append("\n  errors by stage: ").append(errors.isEmpty() ? "none" : errors.toString().replaceAll("[{}]", ""));
        long errorRows = errors.values().stream().mapToLong(Long::longValue).sum();
        b.append(String.format(Locale.ROOT, "%n  output: %s — attributions/ (%d rows, %s layout), errors/ (%d rows), %s",
                p.sink().display(), rows.values().stream().mapToLong(Long::longValue).sum(),
                config.layout.name().toLowerCase(Locale.ROOT), errorRows, AttributionSink.MANIFEST));
        LOG.info(b.toString());
    }

    /** Copies a card given as a Hadoop URI (and its model file) to a local folder; local paths are checked. */
    static final class ModelFetch {
        private ModelFetch() {}

        static Path toDriver(String location, Configuration hadoop) {
            if (ModelRef.isLocal(location)) {
                Path p = ModelRef.localPath(location).toAbsolutePath().normalize();
                if (!Files.isRegularFile(p)) {
                    throw new ConfigException("--model " + location + ": model card not found" + (Files.isDirectory(p)
                            ? " (it is a folder; give the card's .json file)" : ""));
                }
                return p;
            }
            try {
                org.apache.hadoop.fs.Path card = new org.apache.hadoop.fs.Path(location);
                var fs = card.getFileSystem(hadoop);
                if (!fs.exists(card)) {
                    throw new ConfigException("--model " + location + ": model card not found");
                }
                Path dir = Files.createTempDirectory("vitex-model");
                Path localCard = dir.resolve(card.getName());
                try (var in = fs.open(card)) {
                    Files.copy(in, localCard);
                }
                var json = com.google.gson.JsonParser.parseString(Files.readString(localCard));
                if (json.isJsonObject() && json.getAsJsonObject().has("file")) {
                    String file = json.getAsJsonObject().get("file").getAsString();
                    org.apache.hadoop.fs.Path model = new org.apache.hadoop.fs.Path(card.getParent(), file);
                    if (fs.exists(model)) {
                        Path target = dir.resolve(file).normalize();
                        Files.createDirectories(target.getParent());
                        try (var in = fs.open(model)) {
                            Files.copy(in, target);
                        }
                    }
                }
                return localCard;
            } catch (java.io.IOException | RuntimeException e) {
                if (e instanceof ConfigException ce) {
                    throw ce;
                }
                throw new ConfigException("--model " + location + ": cannot read it: " + JobConfig.oneLine(e.getMessage()), e);
            }
        }
    }
}
