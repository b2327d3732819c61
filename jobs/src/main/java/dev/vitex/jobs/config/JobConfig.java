package dev.vitex.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValueType;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.image.DecodeOptions;
import dev.vitex.core.model.InferenceMode;
import dev.vitex.core.model.Precision;
import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The job's options, typed and validated: the declared defaults ({@link Options}, documented in
 * {@code conf/vitex.conf}), then an optional {@code --config} file, then {@code --set} values and the
 * command-line options. Every bad value is a {@link ConfigException} naming the option and what is
 * allowed. Nothing here touches Spark, the model or the file system.
 */
public final class JobConfig {
    public static final String ROOT = "vitex";

    public enum InputFormat { AUTO, IMAGES, PARQUET }

    public enum OtherFiles { SKIP, ERROR }

    public enum Mode { OVERWRITE, APPEND, RESUME }

    public enum Layout { WIDE, LONG }

    /** decode.orientation: apply the EXIF orientation, or use the stored pixels as they are. */
    public enum Orientation { EXIF, IGNORE }

    private final Config config;
    public final String input;
    public final InputFormat inputFormat;
    public final List<String> imageExtensions;
    public final OtherFiles otherFiles;
    public final String idColumn;
    public final String bytesColumn;
    public final String labelColumn;
    public final String model;
    public final String output;
    public final List<String> methods;
    public final Map<String, Map<String, String>> params;
    public final Granularity granularity;
    public final String targets;
    public final InferenceMode inferenceMode;
    public final Precision precision;
    public final int batchSize;
    public final int imagesPerBatch;
    public final int partitions;
    public final int wavePartitions;
    public final double maxFailedFraction;
    public final double lockTimeoutS;
    public final long seed;
    public final Mode mode;
    public final Layout layout;
    public final List<String> metrics;
    public final boolean report;
    public final String master;
    public final String appName;
    public final long maxPixels;
    public final long maxFileBytes;
    public final double maxAspectRatio;
    public final boolean applyExifOrientation;
    public final boolean modelAllowOutsidePaths;
    public final double progressIntervalS;
    public final boolean validateOnDriver;
    public final int djlThreads;
    public final int djlInteropThreads;
    public final int gpuConcurrentBatches;
    public final Map<String, String> spark;

    private JobConfig(Config root) {
        this.config = root;
        Config c = root.getConfig(ROOT);
        checkKnownKeys(c);
        this.input = Options.INPUT.read(c);
        this.inputFormat = Options.INPUT_FORMAT.read(c);
        this.imageExtensions = Options.IMAGE_EXTENSIONS.read(c);
        this.otherFiles = Options.OTHER_FILES.read(c);
        this.idColumn = Options.ID_COLUMN.read(c);
        this.bytesColumn = Options.BYTES_COLUMN.read(c);
        this.labelColumn = Options.LABEL_COLUMN.read(c);
        this.model = Options.MODEL.read(c);
        this.output = Options.OUTPUT.read(c);
        this.methods = Options.METHODS.read(c);
        this.params = Options.PARAMS.read(c);
        this.granularity = Options.GRANULARITY.read(c);
        this.targets = Options.TARGETS.read(c);
        this.inferenceMode = Options.INFERENCE_MODE.read(c);
        this.precision = Options.PRECISION.read(c);
        this.batchSize = Options.BATCH_SIZE.read(c);
        this.imagesPerBatch = Options.IMAGES_PER_BATCH.read(c);
        this.partitions = Options.PARTITIONS.read(c);
        this.wavePartitions = Options.WAVE_PARTITIONS.read(c);
        this.maxFailedFraction = Options.MAX_FAILED_FRACTION.read(c);
        this.lockTimeoutS = Options.LOCK_TIMEOUT_S.read(c);
        this.seed = Options.SEED.read(c);
        this.mode = Options.MODE.read(c);
        this.layout = Options.LAYOUT.read(c);
        this.metrics = Options.METRICS.read(c);
        this.report = Options.REPORT.read(c);
        this.master = Options.MASTER.read(c);
        this.appName = Options.APP_NAME.read(c);
        this.maxPixels = Options.MAX_PIXELS.read(c);
        this.maxFileBytes = Options.MAX_FILE_BYTES.read(c);
        this.maxAspectRatio = Options.MAX_ASPECT_RATIO.read(c);
        this.applyExifOrientation = Options.ORIENTATION.read(c) == Orientation.EXIF;
        this.modelAllowOutsidePaths = Options.MODEL_ALLOW_OUTSIDE_PATHS.read(c);
        this.progressIntervalS = Options.PROGRESS_INTERVAL_S.read(c);
        this.validateOnDriver = Options.VALIDATE_ON_DRIVER.read(c);
        this.djlThreads = Options.DJL_THREADS.read(c);
        this.djlInteropThreads = Options.DJL_INTEROP_THREADS.read(c);
        this.gpuConcurrentBatches = Options.GPU_CONCURRENT_BATCHES.read(c);
        this.spark = Options.SPARK.read(c);
    }

    /** Reads a user config file (HOCON); a missing or unparsable file is a {@link ConfigException}. */
    public static Config file(String path) {
        File f = new File(path);
        if (!f.isFile()) {
            throw new ConfigException("--config " + path + ": no such file");
        }
        try {
            return ConfigFactory.parseFile(f, ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException("--config " + path + ": " + oneLine(e.getMessage()), e);
        }
    }

    /**
     * Layers, highest precedence first: {@code overrides} (keys relative to {@code vitex}, values
     * as given on the command line), then {@code file} (may be null), then the defaults.
     */
    public static JobConfig resolve(Map<String, Object> overrides, Config file) {
        Config merged = ConfigFactory.empty();
        if (!overrides.isEmpty()) {
            Map<String, Object> rooted = new LinkedHashMap<>();
            overrides.forEach((k, v) -> rooted.put(ROOT + "." + k, v));
            try {
                merged = ConfigFactory.parseMap(rooted, "command line");
            } catch (com.typesafe.config.ConfigException e) {
                throw new ConfigException("command line: " + oneLine(e.getMessage()), e);
            }
        }
        if (file != null) {
            merged = merged.withFallback(file);
        }
        merged = merged.withFallback(Options.defaults());
        try {
            merged = merged.resolve(ConfigResolveOptions.defaults().setAllowUnresolved(false));
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException("configuration: " + oneLine(e.getMessage()), e);
        }
        try {
            return new JobConfig(merged);
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException("configuration: " + oneLine(e.getMessage()), e);
        }
    }

    /** The resolved {@code vitex} tree as JSON (for the manifest). */
    public String json() {
        return config.getConfig(ROOT).root().render(ConfigRenderOptions.concise());
    }

    /** The decoding caps and orientation policy (options decode.*) executors apply. */
    public DecodeOptions decodeOptions() {
        return new DecodeOptions(maxPixels, maxAspectRatio, applyExifOrientation);
    }

    /** Parameters of one method (empty when none were given). */
    public Map<String, String> paramsOf(String method) {
        return params.getOrDefault(method, Map.of());
    }

    /** Unknown keys are refused, so a typo cannot pass silently; the open maps (params, spark) take any key. */
    private static void checkKnownKeys(Config c) {
        Set<String> known = new TreeSet<>();
        for (var e : Options.defaults().getConfig(ROOT).entrySet()) {
            known.add(e.getKey());
        }
        for (var e : c.entrySet()) {
            String key = e.getKey();
            String top = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            if (Options.OPEN_MAPS.contains(top) || known.contains(key)) {
                continue;
            }
            boolean parentOfKnown = known.stream().anyMatch(k -> k.startsWith(key + "."));
            if (!parentOfKnown) {
                throw new ConfigException("unknown option " + ROOT + "." + key + " (from " + e.getValue().origin().description()
                        + "); known options: " + String.join(", ", topLevel(known)));
            }
        }
        for (String open : Options.OPEN_MAPS) {
            if (c.hasPath(open) && c.getValue(open).valueType() != ConfigValueType.OBJECT) {
                throw new ConfigException(open.equals(Options.PARAMS.key())
                        ? "option params must be an object such as { occlusion { baseline = 0.5 } }"
                        : "option spark must be an object of Spark properties");
            }
        }
    }

    private static List<String> topLevel(Set<String> keys) {
        Set<String> out = new LinkedHashSet<>();
        for (String k : keys) {
            out.add(k.contains(".") ? k.substring(0, k.indexOf('.')) : k);
        }
        return new ArrayList<>(out);
    }

    public static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
