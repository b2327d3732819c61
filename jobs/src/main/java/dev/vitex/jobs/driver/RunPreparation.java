package dev.vitex.jobs.driver;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import dev.vitex.core.method.ExplainContext;
import dev.vitex.core.method.Explainer;
import dev.vitex.core.method.Methods;
import dev.vitex.core.model.BatchGate;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.model.Precision;
import dev.vitex.core.model.TargetRule;
import dev.vitex.core.model.VitModel;
import dev.vitex.jobs.config.ConfigException;
import dev.vitex.jobs.config.HadoopConf;
import dev.vitex.jobs.config.JobConfig;
import dev.vitex.jobs.config.TargetSpec;
import dev.vitex.jobs.executor.ExecutorModelCache;
import dev.vitex.jobs.executor.ModelRef;
import dev.vitex.jobs.input.ImageSource;
import dev.vitex.jobs.localfs.LocalFiles;
import dev.vitex.jobs.output.AttributionSink;
import dev.vitex.jobs.output.RunManifest;
import dev.vitex.jobs.output.ScratchFolders;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every check of a run that can fail without Spark, in the order a user fixes them: the model card,
 * the targets, the methods and their parameters, the input, the model on the driver (one forward),
 * the output folder. Any problem is one {@link ConfigException} line. The input is listed on a thread of its
 * own from the start ({@link InputListing}), beside the card, the methods, libtorch's load and the model
 * check; its problems are still reported after the methods' and before the model's.
 */
final class RunPreparation {
    private static final Logger LOG = LoggerFactory.getLogger("vitex");
    private final JobConfig config;
    private final ScratchFolders scratch;

    /** @param scratch where a remote card and model are copied; the run deletes it at its end */
    RunPreparation(JobConfig config, ScratchFolders scratch) {
        this.config = config;
        this.scratch = scratch;
    }

    RunPlan prepare() {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        Configuration hadoop = new Configuration();
        config.spark.forEach((k, v) -> {
            if (k.startsWith("spark.hadoop.")) {
                hadoop.set(k.substring("spark.hadoop.".length()), v);
            }
        });
        LocalFiles.configure(hadoop); // before the first file: look-up of this JVM, which Hadoop's cache keeps
        try (InputListing listing = InputListing.start(config, hadoop)) { // runs beside the checks up to the model's
            return prepare(started, t0, hadoop, listing);
        }
    }

    private RunPlan prepare(Instant started, long t0, Configuration hadoop, InputListing listing) {
        if (config.model.isEmpty()) {
            throw new ConfigException("no model: give --model CARD.json (the model card beside its TorchScript file)");
        }
        Path cardPath = ModelFetch.toDriver(config.model, hadoop, scratch);
        ModelCard card;
        try {
            card = ModelCard.load(cardPath, config.modelAllowOutsidePaths);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(JobConfig.oneLine(e.getMessage()), e);
        }
        if (config.precision == Precision.FP16 && master().startsWith("local")) {
            throw new ConfigException(Precision.FP16_NEEDS_GPU);
        }
        Path modelFile;
        try {
            modelFile = card.fileFor(config.precision);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(JobConfig.oneLine(e.getMessage()), e);
        }
        String modelSha = ModelRef.sha256(modelFile);
        String location = ModelRef.isLocal(config.model) ? cardPath.toString() : config.model;
        ModelRef ref = new ModelRef(location, cardPath.getFileName().toString(), modelFile.getFileName().toString(),
                modelSha, config.precision);
        TargetRule targets = TargetSpec.parse(config.targets, card);
        List<Explainer> explainers = explainers(card, modelSha);
        String master = master();
        boolean local = master.startsWith("local");

        Map<String, String> params = new LinkedHashMap<>();
        String libtorch = null;
        AttributionSink sink;
        VitModel model;
        try {
            model = config.validateOnDriver ? driverModel(card, ref, local, hadoop) : null;
        } catch (RuntimeException e) {
            listing.join(); // an input problem comes first, as when the input was listed before the model was checked
            throw e;
        }
        ImageSource.Plan plan;
        try {
            plan = listing.join();
            ExplainContext context = new ExplainContext(model, config.inferenceMode, config.batchSize, config.granularity, config.seed);
            for (Explainer e : explainers) {
                try {
                    params.put(e.name(), e.params(context));
                } catch (RuntimeException ex) {
                    params.put(e.name(), "{}");
                }
            }
            if (model != null) {
                libtorch = Engine.getEngine("PyTorch").getVersion();
            }
            JsonObject fingerprint = RunManifest.fingerprint(modelSha, config.precision, plan.root(), targets.text(),
                    config.granularity.name(), config.inferenceMode.cliName(), config.layout.name().toLowerCase(Locale.ROOT), params);
            sink = AttributionSink.open(config, hadoop, fingerprint);
        } finally {
            if (model != null && !local) { // in local mode the driver is the executor: tasks reuse the model
                model.close();
            }
        }
        long validationMs = (System.nanoTime() - t0) / 1_000_000;
        return new RunPlan(started, t0, hadoop, card, ref, targets, params, plan, sink, master, local, libtorch, validationMs);
    }

    /** The run's methods, built and validated against the granularity (unknown --param methods refused). */
    private List<Explainer> explainers(ModelCard card, String modelSha) {
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
        try {
            for (String m : config.methods) {
                explainers.add(ExecutorModelCache.explainer(m, config.paramsOf(m), card, modelSha));
            }
            for (Explainer e : explainers) {
                e.validate(config.granularity); // a method refuses settings it cannot serve
            }
        } catch (IllegalArgumentException e) {
            throw new ConfigException(JobConfig.oneLine(e.getMessage()), e);
        }
        return explainers;
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
            model = local ? ExecutorModelCache.get(ref, Device.cpu(), config.gpuConcurrentBatches, HadoopConf.toMap(hadoop), tempModels())
                    : VitModel.load(card, Device.cpu(), BatchGate.UNLIMITED, driverPrecision());
        } catch (RuntimeException e) {
            throw new ConfigException(JobConfig.oneLine(e.getMessage()), e);
        }
        try (NDManager scope = model.newScope()) {
            model.scores(scope.zeros(new Shape(1, card.channels(), card.inputHeight(), card.inputWidth())), config.inferenceMode);
        } catch (RuntimeException e) {
            if (!local) {
                model.close();
            }
            throw new ConfigException("model " + card.fileFor(driverPrecision()) + " does not run as its card says: "
                    + JobConfig.oneLine(e.getMessage()), e);
        }
        return model;
    }

    /**
     * The precision the driver checks the model in, on its CPU: the run's, except fp16 (a GPU type the
     * CPU refuses), whose card is checked with its fp32 file; the executors' GPUs load the fp16 file.
     */
    private Precision driverPrecision() {
        return config.precision == Precision.FP16 ? Precision.FP32 : config.precision;
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
}
