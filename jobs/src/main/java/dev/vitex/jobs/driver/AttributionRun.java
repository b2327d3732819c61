package dev.vitex.jobs.driver;

import com.google.gson.JsonObject;
import dev.vitex.jobs.config.HadoopConf;
import dev.vitex.jobs.config.JobConfig;
import dev.vitex.jobs.config.RunSpec;
import dev.vitex.jobs.executor.PartitionRunner;
import dev.vitex.jobs.input.ImageSource;
import dev.vitex.jobs.output.AttributionSink;
import dev.vitex.jobs.output.DoneWork;
import dev.vitex.jobs.output.ExecutorFacts;
import dev.vitex.jobs.output.GuardedOutput;
import dev.vitex.jobs.output.Redaction;
import dev.vitex.jobs.output.RunManifest;
import dev.vitex.jobs.output.RunReport;
import dev.vitex.jobs.output.RunRows;
import dev.vitex.jobs.output.ScratchFolders;
import dev.vitex.jobs.output.TableFiles;
import dev.vitex.jobs.output.TaskTables;
import dev.vitex.jobs.output.WaveCommitter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the job: every check that can fail without Spark first ({@link RunPreparation}), the
 * output folder taken ({@link GuardedOutput}: lock, recovery, staging) and the manifest written
 * ({@link RunJournal}, status running), then the Spark part: images → waves of partitions →
 * {@link PartitionRunner} → {@link WaveCommitter}, with progress lines, the report (best effort), the
 * final manifest, the run's health ({@link RunHealth}) and a final summary.
 */
public final class AttributionRun {
    private static final Logger LOG = LoggerFactory.getLogger("vitex");
    /** Spark sessions this JVM started (tests check bad configurations never start one). */
    public static final AtomicInteger SPARK_STARTS = SparkStart.STARTS;

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

    /** What the Spark part produced. */
    private record Explained(RunInput input, RunTotals totals, Set<ExecutorFacts> executors,
                             long skippedDone, WavePlan plan, long computeMs, RunStats.Span taskSpan) {}

    /** Temporary copies of a remote model, deleted when {@link #execute} ends. */
    private final ScratchFolders scratch = new ScratchFolders();

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

    /** Runs the job; {@link dev.vitex.jobs.config.ConfigException} for configuration problems (before Spark when possible). */
    public Result execute() {
        try {
            return run();
        } finally {
            scratch.close();
        }
    }

    private Result run() {
        RunPlan p = new RunPreparation(config, scratch).prepare();
        String runId = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(p.started())
                + "-" + UUID.randomUUID().toString().substring(0, 8);
        List<String> notes = new ArrayList<>();
        try (GuardedOutput guarded = GuardedOutput.open(p.sink().fs(), p.sink().path(), runId, config.mode,
                Duration.ofMillis(Math.round(config.lockTimeoutS * 1000)), line -> {
                    LOG.warn(line);
                    notes.add(line);
                })) {
            RunJournal journal = new RunJournal(guarded, new RunManifest(runId, p.started(), command), Redaction.of(config.spark),
                    command);
            notes.forEach(journal::note);
            journal.config(RunManifest.parse(config.json())).put("fingerprint", fingerprint(p)).write();
            try {
                return execute(p, runId, guarded, journal);
            } catch (RuntimeException e) {
                journal.finish(e instanceof RunFailedException ? e.getMessage()
                        : JobConfig.oneLine(e.getClass().getSimpleName() + ": " + e.getMessage()));
                throw e;
            }
        }
    }

    private Result execute(RunPlan p, String runId, GuardedOutput guarded, RunJournal journal) {
        logStart(runId, p);
        AttributionSink sink = p.sink().rooted(guarded.root());
        long sparkT0 = System.nanoTime();
        SparkStart.Session session = SparkStart.session(config, p);
        SparkSession spark = session.spark();
        long sparkStartMs = (System.nanoTime() - sparkT0) / 1_000_000;
        TableFiles tables = TableFiles.prepare(spark, config.layout);
        WaveCommitter committer = new WaveCommitter(sink.fs(), guarded.root(), tables);
        try {
            Explained e = explainAndWrite(spark, p, runId, sink, tables, committer, journal);
            RunTotals totals = e.totals();
            RunReport.Written report = null;
            String reportMissing = null;
            long reportT0 = System.nanoTime();
            if (config.report) {
                try { // best effort: the data is written; a report failure must not lose the manifest
                    report = report(spark, p, runId, e, sink);
                } catch (RuntimeException ex) {
                    reportMissing = JobConfig.oneLine(ex.getClass().getSimpleName() + ": " + ex.getMessage());
                    LOG.warn("no report: {}", reportMissing);
                }
            }
            long reportMs = (System.nanoTime() - reportT0) / 1_000_000;
            List<Sample> samples = keepSamples
                    ? DemoSamples.of(RunRows.attributions(spark, sink.fs(), sink.path(), config.layout, runId), config.methods)
                    : List.of();
            double seconds = (System.nanoTime() - p.t0()) / 1e9;
            String libtorch = p.libtorch();
            for (ExecutorFacts f : e.executors()) {
                libtorch = f.libtorch();
                LOG.info("executor {} on {}: {}", f.executorId(), f.host(), f.note());
            }
            String layout = config.layout.name().toLowerCase(Locale.ROOT);
            RunManifest.Counts counts = new RunManifest.Counts(p.input().images(), totals.read(), totals.explained(),
                    totals.failed(), e.skippedDone() + totals.done(),
                    // with images.other_files = error they are images read and failed
                    config.otherFiles == JobConfig.OtherFiles.SKIP ? p.input().skipped() : Map.of(),
                    totals.rows(), totals.errors(), totals.methodErrors(), totals.errorRows());
            RunStats.Span span = e.taskSpan();
            RunManifest.Timings timings = new RunManifest.Timings(Math.round(seconds * 1000), p.validationMs(), sparkStartMs,
                    e.computeMs(), totals.read() / Math.max(e.computeMs() / 1000.0, 1e-9), totals.methodMs(),
                    config.report ? reportMs : null, span == null ? null : new RunManifest.TaskSpan(
                            span.firstStartMs() - p.started().toEpochMilli(), span.millis(),
                            totals.read() / Math.max(span.millis() / 1000.0, 1e-9)));
            journal.record(new RunManifest.Contents(
                    config.json(),
                    fingerprint(p),
                    new RunManifest.ModelFacts(p.card().name(), config.model, p.ref().modelFileName(),
                            p.ref().modelSha256(), p.ref().precision().configName(), p.card().cardPath()),
                    spark.version(), libtorch,
                    new RunManifest.SparkFacts(spark.sparkContext().master(), spark.sparkContext().applicationId(),
                            spark.sparkContext().defaultParallelism()),
                    new RunManifest.InputFacts(config.input, p.input().root(),
                            p.input().format().name().toLowerCase(Locale.ROOT)),
                    new RunManifest.OutputFacts(p.sink().uri(), config.mode.name().toLowerCase(Locale.ROOT), layout,
                            e.plan().partitions()),
                    p.methodParams(), counts, timings, e.executors(),
                    config.metrics.isEmpty() ? null
                            : new RunManifest.MetricsFacts(config.metrics, totals.metricPasses(), totals.metricMs()),
                    report == null ? null : new RunManifest.ReportFacts(report.index(), report.images())),
                    e.plan(), reportMissing);
            journal.put("engine", RunManifest.engine(config.batchSize, totals.tasksByBatchSize(), totals.oomRetries()));
            String sick = RunHealth.verdict(totals.read(), totals.failed(), totals.rows(), totals.methodErrors(),
                    config.maxFailedFraction, totals.errorRows() == 0 ? null
                            : RunHealth.mostFrequentError(spark, sink.uri() + "/" + AttributionSink.ERRORS, runId));
            journal.finish(sick);
            committer.dropWavesFolder();
            try {
                guarded.commit();
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot move the new run into " + p.sink().display() + ": " + ex.getMessage(), ex);
            }
            LOG.info(SummaryLog.text(runId, p.sink(), config, totals, seconds));
            if (sick != null) {
                throw new RunFailedException(sick);
            }
            return new Result(runId, p.sink(), totals.read(), totals.explained(), totals.failed(), totals.rows(),
                    totals.errors(), seconds, samples, report == null ? null : report.index());
        } finally {
            if (session.own()) {
                spark.stop();
            }
        }
    }

    private JsonObject fingerprint(RunPlan p) {
        return RunManifest.fingerprint(p.ref().modelSha256(), p.ref().precision(), p.input().root(), p.targets().text(), config.granularity.name(),
                config.inferenceMode.cliName(), config.layout.name().toLowerCase(Locale.ROOT), p.methodParams());
    }

    private void logStart(String runId, RunPlan p) {
        ImageSource.Plan plan = p.input();
        LOG.info("run {}: {} → {} ({} mode, {} layout)", runId, plan.format() == JobConfig.InputFormat.PARQUET
                        ? "Parquet " + plan.input() : plan.images() + " image(s) under " + plan.input(), p.sink().display(),
                config.mode.name().toLowerCase(Locale.ROOT), config.layout.name().toLowerCase(Locale.ROOT));
        LOG.info("model {} ({} classes, input {}×{}, patch {}), methods {}, targets {}, granularity {}",
                p.card().name(), p.card().numClasses(), p.card().inputHeight(), p.card().inputWidth(), p.card().patchSize(),
                String.join(",", config.methods), p.targets().text(), config.granularity.name().toLowerCase(Locale.ROOT));
        if (plan.skippedTotal() > 0) {
            LOG.info("{} non-image file(s) {}: {} (e.g. {})", plan.skippedTotal(),
                    config.otherFiles == JobConfig.OtherFiles.SKIP ? "skipped" : "become error rows",
                    ImageSource.describeSkipped(plan.skipped()), String.join(", ", plan.skippedExamples()));
        }
    }

    /**
     * Input → (resume: minus what is committed, by joins) → waves of partitions → tasks that write their
     * table files → one commit per wave.
     */
    private Explained explainAndWrite(SparkSession spark, RunPlan p, String runId, AttributionSink sink,
                                      TableFiles tables, WaveCommitter committer, RunJournal journal) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        long computeT0 = System.nanoTime();
        RunInput source = RunInput.of(spark, config, p.input());
        List<Row> listed = source.listedRows(); // an image folder: split into waves on the driver (ListedWaves)
        Dataset<Row> input = listed == null ? source.dataset() : null;
        long skippedDone = 0;
        if (config.mode == JobConfig.Mode.RESUME && sink.hasPrevious() && sink.hasTable(AttributionSink.ATTRIBUTIONS)) {
            DoneWork done = DoneWork.of(spark, sink.uri() + "/" + AttributionSink.ATTRIBUTIONS, config.methods,
                    p.targets().count());
            skippedDone = done.completeImages(source.dataset());
            if (listed == null) {
                input = done.remaining(input);
            } else { // the listing is in driver memory anyway: the rest of it, with its done keys, comes back
                listed = done.remaining(source.dataset()).collectAsList();
            }
            LOG.info("resume: {} image(s) already fully explained are skipped", skippedDone);
        }
        long total = listed != null ? listed.size() : input.count();
        int parallelism = spark.sparkContext().defaultParallelism();
        WavePlan plan = WavePlan.of(total, config.partitions, config.wavePartitions, parallelism);
        LOG.info("{} image(s) to explain in {} partition(s), {} wave(s) of about {} image(s), on {} ({} task slot(s))",
                total, plan.partitions(), plan.waves(), plan.imagesPerWave(), spark.sparkContext().master(), parallelism);
        journal.plan(plan, skippedDone);

        RunSpec spec = new RunSpec(runId, p.ref(), p.card().name(), p.card().labels(), config.methods, config.params,
                config.granularity, p.targets(), config.inferenceMode, config.batchSize, config.imagesPerBatch, config.seed,
                config.decodeOptions(), config.maxFileBytes, config.djlThreads, config.djlInteropThreads,
                config.gpuConcurrentBatches, "",
                HadoopConf.toMap(spark.sparkContext().hadoopConfiguration()), config.metrics);
        Broadcast<RunSpec> specB = jsc.broadcast(spec);
        Broadcast<TableFiles> tablesB = jsc.broadcast(tables);
        LongAccumulator imagesDone = spark.sparkContext().longAccumulator("vitex.images");
        CollectionAccumulator<ExecutorFacts> executors = spark.sparkContext().collectionAccumulator("vitex.executors");
        // one per wave (partition ids restart in each wave's job); wave k + 1's is added before wave k is committed
        List<RunStats> waveStats = new ArrayList<>();
        long alreadyDone = skippedDone;
        WideRowReads.limit(spark, p.card(), config.granularity);
        try (Progress progress = new Progress(imagesDone, total, config.progressIntervalS)) {
            spark.sparkContext().addSparkListener(progress);
            try {
                WaveInputs waves = listed != null ? new ListedWaves(jsc, listed, plan) : new DatasetWaves(input, plan, p.input());
                Waves.run(waves, plan, runId, committer, (waveInput, attempts, tag) -> {
                    RunStats stats = new RunStats();
                    spark.sparkContext().register(stats, "vitex.stats");
                    waveStats.add(stats);
                    return waveInput.mapPartitions(new PartitionRunner(specB, imagesDone, executors, stats))
                            .mapPartitions(new TaskTables(tablesB, attempts, tag));
                }, (k, rows) -> {
                    // while wave k + 1 computes: count the committed waves only
                    RunTotals so = RunTotals.of(RunStats.totals(waveStats.stream().limit(k + 1).toList()), config.methods);
                    journal.waveCommitted(k, plan.waves(), so.read(), so.explained(), so.failed(), alreadyDone);
                    LOG.info("wave {}/{} committed: {} attribution row(s), {} error row(s)", k + 1, plan.waves(),
                            rows.attributionRows(), rows.errorRows());
                });
                long computeMs = (System.nanoTime() - computeT0) / 1_000_000;
                LOG.info(progress.line());
                return new Explained(source, RunTotals.of(RunStats.totals(waveStats), config.methods),
                        new LinkedHashSet<>(executors.value()), skippedDone, plan, computeMs, RunStats.taskSpan(waveStats));
            } catch (IOException ex) {
                throw new UncheckedIOException("cannot commit into " + sink.display() + ": " + ex.getMessage(), ex);
            } finally {
                spark.sparkContext().removeSparkListener(progress);
            }
        }
    }

    private RunReport.Written report(SparkSession spark, RunPlan p, String runId, Explained e, AttributionSink sink) {
        RunTotals totals = e.totals();
        Map<String, Long> shown = new LinkedHashMap<>();
        shown.put("images read", totals.read());
        shown.put("images explained", totals.explained());
        shown.put("images failed", totals.failed());
        config.methods.forEach(m -> shown.put("rows: " + m, totals.rows().getOrDefault(m, 0L)));
        totals.errors().forEach((stage, n) -> shown.put("errors: " + stage, n));
        RunReport.Written report = RunReport.write(RunRows.attributions(spark, sink.fs(), sink.path(), config.layout, runId),
                RunRows.errors(spark, sink.fs(), sink.path(), runId), e.input().dataset(), sink,
                spark.sparkContext().hadoopConfiguration(),
                runId, p.card().name(), config.methods, shown, totals.explained(), totals.errorRows(),
                config.decodeOptions());
        LOG.info("report: {} ({} image(s) shown)", report.index(), report.images());
        return report;
    }
}
