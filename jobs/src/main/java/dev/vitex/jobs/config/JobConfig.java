package dev.vitex.jobs.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.model.InferenceMode;
import java.io.File;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The job's options, typed and validated: the defaults of {@code conf/vitex.conf} (read from the
 * class path), then an optional {@code --config} file, then {@code --set} values and the
 * command-line options. Every bad value is a {@link ConfigException} naming the option and what is
 * allowed. Nothing here touches Spark, the model or the file system.
 */
public final class JobConfig {
    public static final String ROOT = "vitex";
    public static final String DEFAULTS_RESOURCE = "dev/vitex/jobs/vitex.conf";
    /** Keys whose contents are free-form maps (checked elsewhere). */
    private static final Set<String> OPEN_MAPS = Set.of("params", "spark");

    public enum InputFormat { AUTO, IMAGES, PARQUET }

    public enum OtherFiles { SKIP, ERROR }

    public enum Mode { OVERWRITE, APPEND, RESUME }

    public enum Layout { WIDE, LONG }

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
    public final double progressIntervalS;
    public final boolean validateOnDriver;
    public final int djlThreads;
    public final int djlInteropThreads;
    public final Map<String, String> spark;

    private JobConfig(Config root) {
        this.config = root;
        Config c = root.getConfig(ROOT);
        checkKnownKeys(c);
        this.input = string(c, "input");
        this.inputFormat = choice(c, "input_format", InputFormat.class);
        this.imageExtensions = extensions(c);
        this.otherFiles = choice(c, "images.other_files", OtherFiles.class);
        this.idColumn = nonEmpty(c, "parquet.id_column");
        this.bytesColumn = nonEmpty(c, "parquet.bytes_column");
        this.labelColumn = nonEmpty(c, "parquet.label_column");
        this.model = string(c, "model");
        this.output = string(c, "output");
        this.methods = names(c, "methods");
        this.params = params(c);
        this.granularity = parse(c, "granularity", Granularity::parse);
        this.targets = nonEmpty(c, "targets");
        this.inferenceMode = parse(c, "inference_mode", InferenceMode::parse);
        this.batchSize = integer(c, "batch_size", 1, 1 << 20);
        this.imagesPerBatch = integer(c, "images_per_batch", 1, 1 << 20);
        this.partitions = integer(c, "partitions", 0, 1 << 24);
        this.wavePartitions = integer(c, "wave_partitions", 0, 1 << 24);
        this.maxFailedFraction = number(c, "max_failed_fraction", 0, 1);
        this.lockTimeoutS = number(c, "lock_timeout_s", 1, 86400);
        this.seed = longValue(c, "seed", Long.MIN_VALUE, Long.MAX_VALUE);
        this.mode = choice(c, "mode", Mode.class);
        this.layout = choice(c, "layout", Layout.class);
        this.metrics = names(c, "metrics");
        this.report = bool(c, "report");
        this.master = string(c, "master");
        this.appName = nonEmpty(c, "app_name");
        this.maxPixels = longValue(c, "decode.max_pixels", 1, Long.MAX_VALUE);
        this.maxFileBytes = longValue(c, "decode.max_file_bytes", 1, Integer.MAX_VALUE - 16);
        this.progressIntervalS = number(c, "progress_interval_s", 0.1, 3600);
        this.validateOnDriver = bool(c, "validate_on_driver");
        this.djlThreads = integer(c, "djl.num_threads", 0, 4096);
        this.djlInteropThreads = integer(c, "djl.num_interop_threads", 1, 4096);
        this.spark = sparkProperties(c);
        if (methods.isEmpty()) {
            throw new ConfigException("option methods is empty: give at least one method (--methods saliency,occlusion)");
        }
        for (String m : metrics) {
            if (!m.equals("deletion") && !m.equals("insertion")) {
                throw new ConfigException("option metrics: unknown metric \"" + m + "\" (known: deletion, insertion)");
            }
        }
    }

    /** The built-in defaults (conf/vitex.conf as packaged). */
    public static Config defaults() {
        var in = JobConfig.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE);
        if (in == null) {
            throw new IllegalStateException("the job jar lacks " + DEFAULTS_RESOURCE + " (conf/vitex.conf); rebuild it");
        }
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return ConfigFactory.parseReader(r, ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF)
                    .setOriginDescription("vitex.conf (defaults)"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
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
        merged = merged.withFallback(defaults());
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

    public Config config() {
        return config;
    }

    /** This configuration with some keys replaced (keys relative to {@code vitex}). */
    public JobConfig with(Map<String, Object> overrides) {
        Map<String, Object> rooted = new LinkedHashMap<>();
        overrides.forEach((k, v) -> rooted.put(ROOT + "." + k, v));
        return new JobConfig(ConfigFactory.parseMap(rooted).withFallback(config).resolve());
    }

    /** Parameters of one method (empty when none were given). */
    public Map<String, String> paramsOf(String method) {
        return params.getOrDefault(method, Map.of());
    }

    // ---- value readers ---------------------------------------------------------------------------

    private static void checkKnownKeys(Config c) {
        Config d = defaults().getConfig(ROOT);
        Set<String> known = new TreeSet<>();
        for (var e : d.entrySet()) {
            known.add(e.getKey());
        }
        for (var e : c.entrySet()) {
            String key = e.getKey();
            String top = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            if (OPEN_MAPS.contains(top) || known.contains(key)) {
                continue;
            }
            boolean parentOfKnown = known.stream().anyMatch(k -> k.startsWith(key + "."));
            if (!parentOfKnown) {
                throw new ConfigException("unknown option " + ROOT + "." + key + " (from " + e.getValue().origin().description()
                        + "); known options: " + String.join(", ", topLevel(known)));
            }
        }
        if (c.hasPath("params") && c.getValue("params").valueType() != ConfigValueType.OBJECT) {
            throw new ConfigException("option params must be an object such as { occlusion { baseline = 0.5 } }");
        }
        if (c.hasPath("spark") && c.getValue("spark").valueType() != ConfigValueType.OBJECT) {
            throw new ConfigException("option spark must be an object of Spark properties");
        }
    }

    private static List<String> topLevel(Set<String> keys) {
        Set<String> out = new LinkedHashSet<>();
        for (String k : keys) {
            out.add(k.contains(".") ? k.substring(0, k.indexOf('.')) : k);
        }
        return new ArrayList<>(out);
    }

    private static String string(Config c, String key) {
        ConfigValue v = c.getValue(key);
        if (v.valueType() == ConfigValueType.NULL) {
            return "";
        }
        if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST) {
            throw new ConfigException(option(key) + " must be a single value, got " + v.render(ConfigRenderOptions.concise()));
        }
        return String.valueOf(v.unwrapped()).trim();
    }

    private static String nonEmpty(Config c, String key) {
        String s = string(c, key);
        if (s.isEmpty()) {
            throw new ConfigException(option(key) + " must not be empty");
        }
        return s;
    }

    private static <E extends Enum<E>> E choice(Config c, String key, Class<E> type) {
        String s = string(c, key);
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s)) {
                return e;
            }
        }
        throw new ConfigException(option(key) + " must be one of "
                + Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList()
                + ", got \"" + s + "\"");
    }

    private interface Parser<T> {
        T parse(String value);
    }

    private static <T> T parse(Config c, String key, Parser<T> parser) {
        String s = string(c, key);
        try {
            return parser.parse(s);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(option(key) + ": " + e.getMessage().replaceFirst("^" + key.replace("_", " ") + " ", ""));
        }
    }

    private static long longValue(Config c, String key, long min, long max) {
        String s = string(c, key).replace("_", "");
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            double d;
            try {
                d = Double.parseDouble(s); // 1e8 is a fine way to write 100 MP
            } catch (NumberFormatException e2) {
                throw new ConfigException(option(key) + " must be an integer, got \"" + s + "\"");
            }
            if (d != Math.rint(d) || Math.abs(d) > 9.0e18) {
                throw new ConfigException(option(key) + " must be an integer, got \"" + s + "\"");
            }
            v = (long) d;
        }
        if (v < min || v > max) {
            throw new ConfigException(option(key) + " must be in [" + min + ", " + max + "], got " + v);
        }
        return v;
    }

    private static int integer(Config c, String key, int min, int max) {
        return (int) longValue(c, key, min, max);
    }

    private static double number(Config c, String key, double min, double max) {
        String s = string(c, key);
        double v;
        try {
            v = Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new ConfigException(option(key) + " must be a number, got \"" + s + "\"");
        }
        if (!(v >= min && v <= max)) {
            throw new ConfigException(option(key) + " must be in [" + min + ", " + max + "], got " + s);
        }
        return v;
    }

    private static boolean bool(Config c, String key) {
        String s = string(c, key).toLowerCase(Locale.ROOT);
        return switch (s) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new ConfigException(option(key) + " must be true or false, got \"" + s + "\"");
        };
    }

    /** A list, or a comma-separated string (as the command line gives it); lower-cased, trimmed, no duplicates. */
    private static List<String> names(Config c, String key) {
        ConfigValue v = c.getValue(key);
        List<String> raw = new ArrayList<>();
        if (v.valueType() == ConfigValueType.LIST) {
            for (Object o : c.getList(key).unwrapped()) {
                if (o instanceof List || o instanceof Map) {
                    throw new ConfigException(option(key) + " must be a list of names, got " + v.render(ConfigRenderOptions.concise()));
                }
                raw.add(String.valueOf(o));
            }
        } else if (v.valueType() != ConfigValueType.NULL) {
            raw.addAll(Arrays.asList(String.valueOf(v.unwrapped()).split(",")));
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String s : raw) {
            String n = s.trim().toLowerCase(Locale.ROOT).replace('-', '_');
            if (!n.isEmpty()) {
                out.add(n);
            }
        }
        return List.copyOf(out);
    }

    private static List<String> extensions(Config c) {
        List<String> ext = new ArrayList<>();
        for (String e : names(c, "images.extensions")) {
            String x = e.startsWith(".") ? e.substring(1) : e;
            if (!x.matches("[a-z0-9]+")) {
                throw new ConfigException("option images.extensions: \"" + e + "\" is not a file extension");
            }
            ext.add(x);
        }
        if (ext.isEmpty()) {
            throw new ConfigException("option images.extensions must list at least one extension");
        }
        return List.copyOf(ext);
    }

    private static Map<String, Map<String, String>> params(Config c) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        if (!c.hasPath("params")) {
            return out;
        }
        ConfigObject root = c.getObject("params");
        for (var method : root.entrySet()) {
            String m = method.getKey();
            if (method.getValue().valueType() != ConfigValueType.OBJECT) {
                throw new ConfigException("option params." + m + " must be an object of parameters (--param "
                        + m + ".NAME=VALUE), got " + method.getValue().render(ConfigRenderOptions.concise()));
            }
            Map<String, String> values = new TreeMap<>();
            for (var p : ((ConfigObject) method.getValue()).entrySet()) {
                ConfigValue v = p.getValue();
                String text = switch (v.valueType()) {
                    case STRING, NUMBER, BOOLEAN -> String.valueOf(v.unwrapped());
                    case LIST -> v.render(ConfigRenderOptions.concise());
                    case NULL -> "";
                    case OBJECT -> throw new ConfigException("parameter " + m + "." + p.getKey()
                            + " must be a value, got " + v.render(ConfigRenderOptions.concise()));
                };
                values.put(p.getKey(), text);
            }
            out.put(m.toLowerCase(Locale.ROOT), values);
        }
        return out;
    }

    private static Map<String, String> sparkProperties(Config c) {
        Map<String, String> out = new TreeMap<>();
        if (!c.hasPath("spark")) {
            return out;
        }
        for (var e : c.getObject("spark").entrySet()) {
            flatten(e.getKey(), e.getValue(), out);
        }
        return out;
    }

    /** Quoted keys ("spark.ui.enabled") and nested objects (spark { ui.enabled }) both become dotted names. */
    private static void flatten(String prefix, ConfigValue v, Map<String, String> out) {
        if (v.valueType() == ConfigValueType.OBJECT) {
            for (var e : ((ConfigObject) v).entrySet()) {
                flatten(prefix + "." + e.getKey(), e.getValue(), out);
            }
            return;
        }
        String key = prefix.startsWith("spark.") ? prefix : "spark." + prefix;
        if (v.valueType() == ConfigValueType.LIST) {
            throw new ConfigException("Spark property " + key + " must be a single value");
        }
        out.put(key, v.valueType() == ConfigValueType.NULL ? "" : String.valueOf(v.unwrapped()));
    }

    /** Keys that are also command-line options. */
    private static final Set<String> FLAGS = Set.of("input", "model", "output", "methods", "granularity", "targets",
            "inference_mode", "batch_size", "partitions", "seed", "mode", "layout", "metrics", "report", "master");

    /** How messages name an option: "--batch-size (batch_size)" or "decode.max_pixels". */
    static String option(String key) {
        return FLAGS.contains(key) ? "--" + key.replace('_', '-') + " (" + key + ")" : "option " + key;
    }

    public static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
