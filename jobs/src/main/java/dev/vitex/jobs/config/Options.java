package dev.vitex.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.method.Methods;
import dev.vitex.core.model.InferenceMode;
import dev.vitex.core.model.Precision;
import dev.vitex.jobs.config.JobConfig.InputFormat;
import dev.vitex.jobs.config.JobConfig.Layout;
import dev.vitex.jobs.config.JobConfig.Mode;
import dev.vitex.jobs.config.JobConfig.Orientation;
import dev.vitex.jobs.config.JobConfig.OtherFiles;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every option of the job, declared once (name, type, default, validation, help). {@link JobConfig}
 * reads them, the command line ({@code run}, {@code demo}) and its {@code --help} are built from them,
 * and tests check {@code conf/vitex.conf} (the documented default file) and the README's table against
 * them. Order = the order of {@code conf/vitex.conf}.
 */
public final class Options {
    private Options() {}

    public static final Option<String> INPUT = Option.of("input", "", Values.string(),
            "Folder or glob of images (recursive), or a Parquet dataset with id and image-bytes columns.")
            .onCommandLine("PATH").required();
    public static final Option<InputFormat> INPUT_FORMAT = Option.of("input_format", "auto", Values.choice(InputFormat.class),
            "How the input is read: auto (parquet for *.parquet or a folder of them), images or parquet.");
    public static final Option<List<String>> IMAGE_EXTENSIONS = Option.of("images.extensions",
            List.of("png", "jpg", "jpeg", "bmp", "gif", "tif", "tiff", "webp"), Values.extensions(),
            "File extensions read as images (PNG, JPEG incl. CMYK/YCCK, BMP, GIF, TIFF incl. 16-bit, WebP).");
    public static final Option<OtherFiles> OTHER_FILES = Option.of("images.other_files", "skip",
            Values.choice(OtherFiles.class), "Files with other extensions: skip (counted) or error (one error row each).");
    public static final Option<String> ID_COLUMN = Option.of("parquet.id_column", "id", Values.nonEmpty(),
            "Parquet column with the image id.");
    public static final Option<String> BYTES_COLUMN = Option.of("parquet.bytes_column", "bytes", Values.nonEmpty(),
            "Parquet column with the encoded image (binary, or a struct with a binary `bytes` field).");
    public static final Option<String> LABEL_COLUMN = Option.of("parquet.label_column", "label", Values.nonEmpty(),
            "Parquet column with the label, used by --targets label when present.");
    public static final Option<String> MODEL = Option.of("model", "", Values.string(),
            "Model card (JSON) beside its TorchScript file.").onCommandLine("CARD.json").required();
    public static final Option<Boolean> MODEL_ALLOW_OUTSIDE_PATHS = Option.of("model_allow_outside_paths", false, Values.bool(),
            "Allow a card whose file is outside the card's folder (.. or an absolute path). A model is code.");
    public static final Option<String> OUTPUT = Option.of("output", "", Values.string(),
            "Output folder: attributions/, errors/, _manifest.json.").onCommandLine("DIR").required();
    public static final Option<List<String>> METHODS = Option.of("methods",
            List.of("saliency", "integrated_gradients", "occlusion"), nonEmpty(Values.names()),
            "Methods, comma-separated; in this build: " + String.join(",", Methods.names()) + ".")
            .onCommandLine("M1,M2,...");
    public static final Option<Map<String, Map<String, String>>> PARAMS = Option.of("params", Map.of(), Values.params(),
            "Method parameters (names of methods.md): --param METHOD.NAME=VALUE, repeatable.")
            .shownAs("those of methods.md");
    public static final Option<Granularity> GRANULARITY = Option.of("granularity", "patch", Values.parsed(Granularity::parse),
            "Grid: one score per ViT patch, or per pixel.").onCommandLine("patch|pixel");
    public static final Option<String> TARGETS = Option.of("targets", "predicted", Values.nonEmpty(),
            "Classes explained per image, one row each.").onCommandLine("predicted|label|top:K|CLASS");
    public static final Option<InferenceMode> INFERENCE_MODE = Option.of("inference_mode", "logits",
            Values.parsed(InferenceMode::parse), "Scores explained.").onCommandLine("logits|softmax|log_softmax");
    public static final Option<Precision> PRECISION = Option.of("precision", "fp32", Values.parsed(Precision::parse),
            "Type the model runs in; bf16 needs the card's precisions entry (export_vit.py writes it), fp16 a GPU.")
            .onCommandLine("fp32|bf16|fp16");
    public static final Option<Integer> BATCH_SIZE = Option.of("batch_size", 64, Values.integer(1, 1 << 20),
            "Model inputs per forward/backward pass.").onCommandLine("N");
    public static final Option<Integer> IMAGES_PER_BATCH = Option.of("images_per_batch", 16, Values.integer(1, 1 << 20),
            "Images a task explains together (every method) before reading the next ones.");
    public static final Option<Integer> PARTITIONS = Option.of("partitions", 0, Values.integer(0, 1 << 24),
            "Spark partitions; 0 = one per 64 images, at least one per task slot.").onCommandLine("N");
    public static final Option<Integer> WAVE_PARTITIONS = Option.of("wave_partitions", 0, Values.integer(0, 1 << 24),
            "Partitions per wave (a wave is committed while the next one computes; a kill loses at most those "
                    + "two); 0 = 4 × the task slots, at least 2,048 images' worth (32 partitions).");
    public static final Option<Long> SEED = Option.of("seed", 0, Values.wholeNumber(Long.MIN_VALUE, Long.MAX_VALUE),
            "Run seed; stochastic methods draw from hash(seed, image sha256, method).").onCommandLine("S");
    public static final Option<Mode> MODE = Option.of("mode", "overwrite", Values.choice(Mode.class),
            "Write mode: replace the output, add to it, or add only rows not yet there.")
            .onCommandLine("overwrite|append|resume");
    public static final Option<Double> MAX_FAILED_FRACTION = Option.of("max_failed_fraction", 0.5, Values.number(0, 1),
            "A run with more failed images than this fraction, or a method failing on every image, exits 1.");
    public static final Option<Double> LOCK_TIMEOUT_S = Option.of("lock_timeout_s", 120, Values.number(1, 86400),
            "Seconds without heartbeat after which the output folder's lock is taken over.");
    public static final Option<Layout> LAYOUT = Option.of("layout", "wide", Values.choice(Layout.class),
            "Row layout: one row per image × method × target, or one per unit.").onCommandLine("wide|long");
    public static final Option<List<String>> METRICS = Option.of("metrics", List.of(),
            Values.namesAmong("metric", Set.of("deletion", "insertion")),
            "Quality metrics per row: deletion and insertion AUCs.").onCommandLine("deletion,insertion");
    public static final Option<Boolean> REPORT = Option.of("report", false, Values.bool(),
            "Also write report/index.html with heatmaps.").onCommandLine("");
    public static final Option<String> MASTER = Option.of("master", "", Values.string(),
            "Spark master.").onCommandLine("URL").shownAs("spark-submit's, else local[*]");
    public static final Option<String> APP_NAME = Option.of("app_name", "vitex", Values.nonEmpty(), "Spark application name.");
    public static final Option<Long> MAX_PIXELS = Option.of("decode.max_pixels", 100_000_000, Values.wholeNumber(1, Long.MAX_VALUE),
            "Largest image decoded (width × height); larger ones are error rows.");
    public static final Option<Long> MAX_FILE_BYTES = Option.of("decode.max_file_bytes", 268_435_456,
            Values.wholeNumber(1, Integer.MAX_VALUE - 16),
            "Largest encoded image (file or Parquet cell), in bytes, checked before reading; larger ones are error rows.");
    public static final Option<Double> MAX_ASPECT_RATIO = Option.of("decode.max_aspect_ratio", 20, Values.number(1, 1e6),
            "Largest long side / short side; more elongated images are error rows.");
    public static final Option<Orientation> ORIENTATION = Option.of("decode.orientation", "exif", Values.choice(Orientation.class),
            "exif = the image as a viewer shows it (EXIF Orientation); ignore = the stored pixels.");
    public static final Option<Double> PROGRESS_INTERVAL_S = Option.of("progress_interval_s", 10, Values.number(0.1, 3600),
            "Seconds between progress lines.");
    public static final Option<Boolean> VALIDATE_ON_DRIVER = Option.of("validate_on_driver", true, Values.bool(),
            "Load the model on the driver before Spark starts.");
    public static final Option<Integer> DJL_THREADS = Option.of("djl.num_threads", 0, Values.integer(0, 4096),
            "libtorch intra-op threads per executor JVM; 0 = spark.task.cpus.");
    public static final Option<Integer> DJL_INTEROP_THREADS = Option.of("djl.num_interop_threads", 1, Values.integer(1, 4096),
            "libtorch inter-op threads.");
    public static final Option<Integer> GPU_CONCURRENT_BATCHES = Option.of("gpu.concurrent_batches", 1, Values.integer(1, 1024),
            "Model batches at once per GPU and executor (tasks sharing a GPU take turns); the CPU is unlimited.");
    public static final Option<Map<String, String>> SPARK = Option.of("spark", sparkDefaults(), Values.sparkProperties(),
            "Spark properties set on the session: --conf SPARK_KEY=VALUE, repeatable.")
            .shownAs("zstd Parquet, no session class loader, 5 s heartbeats, no console progress");

    /** Every option of the job, in the order of conf/vitex.conf. */
    public static final List<Option<?>> ALL = List.of(INPUT, INPUT_FORMAT, IMAGE_EXTENSIONS, OTHER_FILES, ID_COLUMN,
            BYTES_COLUMN, LABEL_COLUMN, MODEL, MODEL_ALLOW_OUTSIDE_PATHS, OUTPUT, METHODS, GRANULARITY, TARGETS, PARAMS, INFERENCE_MODE, PRECISION, BATCH_SIZE,
            IMAGES_PER_BATCH, PARTITIONS, WAVE_PARTITIONS, SEED, MODE, MAX_FAILED_FRACTION, LOCK_TIMEOUT_S, LAYOUT, METRICS,
            REPORT, MASTER, APP_NAME, MAX_PIXELS, MAX_FILE_BYTES, MAX_ASPECT_RATIO, ORIENTATION, PROGRESS_INTERVAL_S,
            VALIDATE_ON_DRIVER, DJL_THREADS, DJL_INTEROP_THREADS, GPU_CONCURRENT_BATCHES, SPARK);

    /** Keys whose contents are free-form maps (their entries are checked by their readers and the methods). */
    public static final Set<String> OPEN_MAPS = Set.of(PARAMS.key(), SPARK.key());

    /**
     * {@code vitex demo}'s own defaults (the bundled samples and model, local Spark): they fill the run
     * options the user did not give. Paths are relative to the vitex folder, the output to the current one.
     */
    public static final List<Option<?>> DEMO = List.of(
            Option.of("demo.input", "samples/shapes", Values.nonEmpty(), "The bundled sample images."),
            Option.of("demo.model", "models/vit-shapes-tiny/vit-shapes-tiny.json", Values.nonEmpty(), "The bundled model."),
            Option.of("demo.output", "vitex-demo-out", Values.nonEmpty(), "The demo's output folder."),
            Option.of("demo.methods", List.of("saliency", "integrated_gradients", "smooth_grad", "gradient_shap", "occlusion",
                    "lime", "kernel_shap", "attention_gradient", "random"), Values.names(), "The demo's methods (those registered in this build)."),
            Option.of("demo.params", Map.of("lime", Map.of("n", 300), "kernel_shap", Map.of("n", 300)), Values.params(),
                    "Fewer samples for the two sampling methods, to keep the demo quick."),
            Option.of("demo.targets", "predicted", Values.nonEmpty(), "The demo's targets."),
            Option.of("demo.metrics", List.of("deletion", "insertion"), Values.names(), "The demo's metrics."),
            Option.of("demo.report", true, Values.bool(), "The demo writes the report."),
            Option.of("demo.master", "local[*]", Values.nonEmpty(), "The demo's Spark master."));

    private static final Map<String, Option<?>> BY_KEY = Stream.concat(ALL.stream(), DEMO.stream())
            .collect(Collectors.toMap(Option::key, Function.identity(), (a, b) -> {
                throw new IllegalStateException("option " + a.key() + " declared twice");
            }, LinkedHashMap::new));

    /** The declared option with this key, or null. */
    public static Option<?> byKey(String key) {
        return BY_KEY.get(key);
    }

    /** The command-line flag of a key ({@code --batch-size}), or null when it has none. */
    static String flagOf(String key) {
        Option<?> o = BY_KEY.get(key);
        return o == null ? null : o.flag();
    }

    /** The options that are also command-line options of {@code run} and {@code demo}. */
    public static List<Option<?>> commandLine() {
        return ALL.stream().filter(Option::onCommandLine).toList();
    }

    /** Every declared default as one HOCON tree under {@code vitex} (the lowest configuration layer). */
    public static Config defaults() {
        Map<String, Object> root = new LinkedHashMap<>();
        for (Option<?> o : BY_KEY.values()) {
            Map<String, Object> parent = root;
            String[] path = o.key().split("\\.");
            for (int i = 0; i < path.length - 1; i++) {
                @SuppressWarnings("unchecked")
                Map<String, Object> child = (Map<String, Object>) parent.computeIfAbsent(path[i], k -> new LinkedHashMap<>());
                parent = child;
            }
            parent.put(path[path.length - 1], o.defaultValue()); // map defaults keep their keys literal ("spark.ui.x")
        }
        return ConfigValueFactory.fromMap(Map.of(JobConfig.ROOT, root), "vitex defaults (Options)")
                .toConfig();
    }

    private static Map<String, String> sparkDefaults() {
        Map<String, String> spark = new LinkedHashMap<>();
        spark.put("spark.ui.showConsoleProgress", "false");
        spark.put("spark.executor.heartbeatInterval", "5s");
        spark.put("spark.sql.parquet.compression.codec", "zstd");
        spark.put("spark.sql.artifact.isolation.enabled", "false");
        return spark;
    }

    private static Option.Reader<List<String>> nonEmpty(Option.Reader<List<String>> names) {
        return (c, key) -> {
            List<String> list = names.read(c, key);
            if (list.isEmpty()) {
                throw new ConfigException("option " + key + " is empty: give at least one method (--methods saliency,occlusion)");
            }
            return list;
        };
    }
}
