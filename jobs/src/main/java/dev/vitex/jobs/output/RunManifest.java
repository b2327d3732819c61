package dev.vitex.jobs.output;

import ai.djl.engine.Engine;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.vitex.core.model.Precision;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code _manifest.json}: what ran, on what, with which versions, and what came out: run id,
 * start/end time, the full resolved configuration, the model card and sha256, versions (vitex,
 * Spark, DJL, libtorch), counts (images read / explained / failed, rows per method, errors by
 * stage), timings, and the executors with their devices.
 */
public final class RunManifest {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
            .serializeNulls().serializeSpecialFloatingPointValues().create();
    private static final Properties BUILD = build();
    private final JsonObject root = new JsonObject();

    public RunManifest(String runId, Instant started, List<String> command) {
        root.addProperty("run_id", runId);
        root.addProperty("status", "running");
        root.addProperty("started_at", started.toString());
        root.add("finished_at", null);
        JsonArray cmd = new JsonArray();
        command.forEach(cmd::add);
        root.add("command", cmd);
    }

    public JsonObject root() {
        return root;
    }

    public RunManifest put(String key, JsonElement value) {
        root.add(key, value);
        return this;
    }

    public static JsonObject object() {
        return new JsonObject();
    }

    public static JsonElement parse(String json) {
        return JsonParser.parseString(json);
    }

    /** An object of counts or numbers. */
    public static JsonObject numbers(Map<String, ? extends Number> values) {
        JsonObject o = new JsonObject();
        values.forEach(o::addProperty);
        return o;
    }

    /** The settings that make rows comparable; resume refuses a folder whose fingerprint differs. */
    public static JsonObject fingerprint(String modelSha256, Precision precision, String inputRoot, String targets,
                                         String granularity, String inferenceMode, String layout,
                                         Map<String, String> methodParams) {
        JsonObject f = new JsonObject();
        f.addProperty("model_sha256", modelSha256);
        f.addProperty("precision", precision.configName());
        f.addProperty("input_root", inputRoot);
        f.addProperty("targets", targets);
        f.addProperty("granularity", granularity);
        f.addProperty("inference_mode", inferenceMode);
        f.addProperty("layout", layout);
        JsonObject p = new JsonObject();
        methodParams.forEach(p::addProperty);
        f.add("params", p);
        return f;
    }

    /** The card as written on disk (parsed), or its text when it is not JSON. */
    public static JsonElement card(Path cardPath) {
        try {
            return JsonParser.parseString(Files.readString(cardPath));
        } catch (IOException | RuntimeException e) {
            JsonObject o = new JsonObject();
            o.addProperty("unreadable", e.getMessage());
            return o;
        }
    }

    public static String version(String key) {
        return BUILD.getProperty(key, "unknown");
    }

    /** vitex, Spark, Scala, DJL, libtorch (as the executors reported it, else the build's) and Java versions. */
    public static JsonObject versions(String sparkVersion, String libtorch) {
        JsonObject v = new JsonObject();
        v.addProperty("vitex", version("vitex.version"));
        v.addProperty("spark", sparkVersion);
        v.addProperty("scala", scala.util.Properties.versionNumberString());
        String djl;
        try {
            djl = Engine.getDjlVersion();
        } catch (RuntimeException | LinkageError e) {
            djl = version("djl.version");
        }
        v.addProperty("djl", djl);
        v.addProperty("libtorch", libtorch == null ? version("libtorch.version") : libtorch);
        v.addProperty("java", System.getProperty("java.version"));
        return v;
    }

    public RunManifest finish(String status) {
        root.addProperty("status", status);
        root.addProperty("finished_at", Instant.now().toString());
        return this;
    }

    public String json() {
        return GSON.toJson(root);
    }

    private static Properties build() {
        Properties p = new Properties();
        try (InputStream in = RunManifest.class.getResourceAsStream("/dev/vitex/jobs/build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // versions become "unknown"
        }
        return p;
    }

    /** The manifest's {@code executors}: one object per distinct executor and device. */
    public static JsonArray executors(Collection<ExecutorFacts> executors) {
        JsonArray all = new JsonArray();
        for (ExecutorFacts f : executors) {
            JsonObject e = new JsonObject();
            e.addProperty("executor_id", f.executorId());
            e.addProperty("host", f.host());
            e.addProperty("gpu_address", f.gpuAddress());
            e.addProperty("device", f.device());
            e.addProperty("device_note", f.note());
            e.addProperty("libtorch", f.libtorch());
            e.addProperty("intra_op_threads", f.intraOpThreads());
            all.add(e);
        }
        return all;
    }

    /** The model section. */
    /** {@code file} and {@code sha256}: the TorchScript file that ran at {@code precision} (the card's file at fp32). */
    public record ModelFacts(String name, String cardPath, String file, String sha256, String precision, Path card) {}

    /** Where the images came from. */
    public record InputFacts(String path, String root, String format) {}

    /** Where the rows went. */
    public record OutputFacts(String path, String mode, String layout, int partitions) {}

    /** The Spark application. */
    public record SparkFacts(String master, String appId, int defaultParallelism) {}

    /** Images and rows; {@code filesSkipped} by reason. */
    public record Counts(long imagesListed, long imagesRead, long imagesExplained, long imagesFailed, long imagesAlreadyDone,
                         Map<String, Long> filesSkipped, Map<String, Long> rowsPerMethod, Map<String, Long> errorsByStage,
                         Map<String, Long> methodErrors, long errorRows) {}

    /** @param reportMs null without a report */
    public record Timings(long totalMs, long validationMs, long sparkStartMs, long explainAndWriteMs, double imagesPerSecond,
                          Map<String, Double> methodTaskMs, Long reportMs, TaskSpan tasks) {}

    /**
     * From the run's start to its first explaining task's start (checks and listing, Spark, the first
     * wave's planning; for a Parquet input its shuffle when it has one), and from there to the last task's end: the images per second of that span are
     * the job's steady-state rate, what the benchmark's end-to-end efficiency compares.
     */
    public record TaskSpan(long firstTaskMs, long spanMs, double imagesPerSecond) {}

    /** The quality metrics of the run (null in {@link Contents} without metrics). */
    public record MetricsFacts(List<String> requested, long modelPasses, Map<String, Double> taskMs) {}

    /** The HTML report (null in {@link Contents} without one). */
    public record ReportFacts(String index, long imagesShown) {}

    /**
     * Everything a finished run records.
     *
     * @param configJson the resolved configuration as JSON
     * @param methodParams each method's canonical parameters, in run order
     */
    public record Contents(String configJson, JsonObject fingerprint, ModelFacts model, String sparkVersion, String libtorch,
                           SparkFacts spark, InputFacts input, OutputFacts output, Map<String, String> methodParams,
                           Counts counts, Timings timings, Collection<ExecutorFacts> executors, MetricsFacts metrics,
                           ReportFacts report) {}

    /** Fills in a finished run and marks it succeeded. */
    public RunManifest succeeded(Contents c) {
        return record(c).finish("succeeded");
    }

    /** Fills in what a finished run records (its status is set by {@link #finish}). */
    public RunManifest record(Contents c) {
        JsonObject model = new JsonObject();
        model.addProperty("name", c.model().name());
        model.addProperty("card_path", c.model().cardPath());
        model.addProperty("file", c.model().file());
        model.addProperty("sha256", c.model().sha256());
        model.addProperty("precision", c.model().precision());
        model.add("card", card(c.model().card()));

        JsonObject spark = new JsonObject();
        spark.addProperty("master", c.spark().master());
        spark.addProperty("app_id", c.spark().appId());
        spark.addProperty("default_parallelism", c.spark().defaultParallelism());

        JsonObject input = new JsonObject();
        input.addProperty("path", c.input().path());
        input.addProperty("root", c.input().root());
        input.addProperty("format", c.input().format());
        JsonObject output = new JsonObject();
        output.addProperty("path", c.output().path());
        output.addProperty("mode", c.output().mode());
        output.addProperty("layout", c.output().layout());
        output.addProperty("partitions", c.output().partitions());
        JsonObject methods = new JsonObject();
        c.methodParams().forEach(methods::addProperty);

        return put("config", parse(c.configJson()))
                .put("fingerprint", c.fingerprint())
                .put("model", model)
                .put("versions", versions(c.sparkVersion(), c.libtorch()))
                .put("spark", spark)
                .put("input", input)
                .put("output", output)
                .put("methods", methods)
                .put("counts", counts(c.counts()))
                .put("timings", timings(c.timings()))
                .put("executors", executors(c.executors()))
                .put("metrics", metrics(c.metrics()))
                .put("report", report(c.report()));
    }

    private static JsonObject counts(Counts c) {
        JsonObject o = new JsonObject();
        o.addProperty("images_listed", c.imagesListed());
        o.addProperty("images_read", c.imagesRead());
        o.addProperty("images_explained", c.imagesExplained());
        o.addProperty("images_failed", c.imagesFailed());
        o.addProperty("images_already_done", c.imagesAlreadyDone());
        o.add("files_skipped", numbers(c.filesSkipped()));
        o.add("rows_per_method", numbers(c.rowsPerMethod()));
        o.add("errors_by_stage", numbers(c.errorsByStage()));
        o.add("method_errors", numbers(c.methodErrors()));
        o.addProperty("error_rows", c.errorRows());
        return o;
    }

    private static JsonObject timings(Timings t) {
        JsonObject o = new JsonObject();
        o.addProperty("total_ms", t.totalMs());
        o.addProperty("validation_ms", t.validationMs());
        o.addProperty("spark_start_ms", t.sparkStartMs());
        o.addProperty("explain_and_write_ms", t.explainAndWriteMs());
        o.addProperty("images_per_s", t.imagesPerSecond());
        o.add("method_task_ms", numbers(t.methodTaskMs()));
        if (t.reportMs() != null) {
            o.addProperty("report_ms", t.reportMs());
        }
        if (t.tasks() != null) { // no task ran (resume with everything done)
            o.addProperty("first_task_ms", t.tasks().firstTaskMs());
            o.addProperty("task_span_ms", t.tasks().spanMs());
            o.addProperty("task_span_images_per_s", t.tasks().imagesPerSecond());
        }
        return o;
    }

    /**
     * The manifest's {@code engine}: the configured model batch size, the smallest any task ended with
     * after halving on out-of-memory, how many halvings there were, and tasks by final batch size.
     */
    public static JsonObject engine(int configured, Map<Integer, Long> tasksByBatchSize, long oomRetries) {
        JsonObject o = new JsonObject();
        o.addProperty("batch_size_configured", configured);
        o.addProperty("batch_size_used_min", tasksByBatchSize.keySet().stream().min(Integer::compare).orElse(configured));
        o.addProperty("oom_retries", oomRetries);
        JsonObject tasks = new JsonObject();
        tasksByBatchSize.forEach((size, n) -> tasks.addProperty(size.toString(), n));
        o.add("tasks_by_batch_size", tasks);
        return o;
    }

    private static JsonObject metrics(MetricsFacts m) {
        if (m == null) {
            return null;
        }
        JsonObject o = new JsonObject();
        JsonArray requested = new JsonArray();
        m.requested().forEach(requested::add);
        o.add("requested", requested);
        o.addProperty("steps", "min(units, 32)");
        o.addProperty("probability", "softmax of the target");
        o.addProperty("model_passes", m.modelPasses());
        o.add("task_ms", numbers(m.taskMs()));
        return o;
    }

    private static JsonObject report(ReportFacts r) {
        if (r == null) {
            return null;
        }
        JsonObject o = new JsonObject();
        o.addProperty("index", r.index());
        o.addProperty("images_shown", r.imagesShown());
        return o;
    }
}
