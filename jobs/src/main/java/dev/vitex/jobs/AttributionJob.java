package dev.vitex.jobs;

import dev.vitex.jobs.cli.Demos;
import dev.vitex.jobs.config.ConfigException;
import dev.vitex.jobs.driver.RunFailedException;
import dev.vitex.jobs.config.JobConfig;
import dev.vitex.jobs.driver.AttributionRun;
import dev.vitex.jobs.output.RunManifest;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import dev.vitex.core.method.Methods;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The command line (design.md § Command line): {@code run}, {@code demo}, {@code bench}.
 * Exit status 0 on success (bad images are error rows, not failures), 2 with a one-line reason for
 * a bad configuration (always detected before Spark starts when Spark is not needed to see it),
 * 1 when the job itself fails.
 */
@Command(name = "vitex", mixinStandardHelpOptions = true, versionProvider = AttributionJob.Version.class,
        description = "Explains ViT image classifiers at dataset scale (DJL + Spark).",
        subcommands = {AttributionJob.Run.class, AttributionJob.Demo.class, AttributionJob.Bench.class},
        synopsisSubcommandLabel = "(run | demo | bench)")
public final class AttributionJob implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("vitex");

    /** Exit status of a bad configuration. */
    public static final int BAD_CONFIG = 2;
    /** Exit status of a failed job. */
    public static final int FAILED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private PrintStream out = System.out;
    private PrintStream err = System.err;

    public static void main(String[] args) {
        int status = execute(args, System.out, System.err);
        System.exit(status);
    }

    /** Runs the command line in this JVM and returns the exit status (tests call this). */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        publishDefaults();
        AttributionJob job = new AttributionJob();
        job.out = out;
        job.err = err;
        CommandLine cli = new CommandLine(job);
        cli.setOverwrittenOptionsAllowed(true); // the last --methods, --mode... wins (handy after a shell alias)
        if (args.length > 0 && args[0].equals("bench")) {
            // everything after `bench` belongs to the benchmark's own command line
            cli.getSubcommands().get("bench").setUnmatchedOptionsArePositionalParams(true);
            cli.getSubcommands().get("bench").setUnmatchedArgumentsAllowed(true);
        }
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setParameterExceptionHandler((ex, a) -> {
            err.println("vitex: " + JobConfig.oneLine(ex.getMessage()) + " (see: vitex "
                    + (ex.getCommandLine().getParent() == null ? "" : ex.getCommandLine().getCommandName() + " ") + "--help)");
            return BAD_CONFIG;
        });
        cli.setExecutionExceptionHandler((ex, c, parseResult) -> {
            if (ex instanceof ConfigException) {
                err.println("vitex: " + JobConfig.oneLine(ex.getMessage()));
                return BAD_CONFIG;
            }
            if (ex instanceof RunFailedException) {
                err.println("vitex: run failed: " + JobConfig.oneLine(ex.getMessage()));
                return FAILED;
            }
            LOG.error("job failed", ex);
            err.println("vitex: job failed: " + rootMessage(ex));
            return FAILED;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return BAD_CONFIG;
    }

    /** The most useful one-line message of a failure (Spark wraps task failures several times). */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        String best = e.getMessage();
        while (t != null) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                best = t.getClass().getSimpleName() + ": " + t.getMessage();
            }
            if (t.getCause() == t) {
                break;
            }
            t = t.getCause();
        }
        String line = JobConfig.oneLine(best);
        return line.length() > 600 ? line.substring(0, 600) + "…" : line;
    }

    /** Defaults from conf/vitex.conf, for the help text (${sys:vitex.default.KEY}). */
    static void publishDefaults() {
        Config d = JobConfig.defaults().getConfig(JobConfig.ROOT);
        for (var e : d.entrySet()) {
            Object v = e.getValue().unwrapped();
            String text = v instanceof List<?> l ? String.join(",", l.stream().map(String::valueOf).toList()) : String.valueOf(v);
            System.setProperty("vitex.default." + e.getKey().replace("\"", ""), text.isEmpty() ? "(none)" : text);
        }
        System.setProperty("vitex.default.known_methods", String.join(",", Methods.names()));
    }

    /** The options `run` and `demo` share; null = not given (the config file or the defaults decide). */
    static final class JobOptions {
        @Option(names = "--input", paramLabel = "PATH",
                description = "Folder or glob of images (recursive), or a Parquet dataset with id and image-bytes columns.")
        String input;

        @Option(names = "--model", paramLabel = "CARD.json", description = "Model card (JSON) beside its TorchScript file.")
        String model;

        @Option(names = "--output", paramLabel = "DIR", description = "Output folder: attributions/, errors/, _manifest.json.")
        String output;

        @Option(names = "--methods", paramLabel = "M1,M2,...",
                description = "Methods (default: ${sys:vitex.default.methods}); in this build: ${sys:vitex.default.known_methods}.")
        String methods;

        @Option(names = "--granularity", paramLabel = "patch|pixel", description = "Grid (default: ${sys:vitex.default.granularity}).")
        String granularity;

        @Option(names = "--targets", paramLabel = "predicted|label|top:K|CLASS",
                description = "Classes explained per image (default: ${sys:vitex.default.targets}).")
        String targets;

        @Option(names = "--param", paramLabel = "METHOD.NAME=VALUE",
                description = "A method parameter (names of methods.md); repeatable.")
        List<String> params = new ArrayList<>();

        @Option(names = "--inference-mode", paramLabel = "logits|softmax|log_softmax",
                description = "Scores explained (default: ${sys:vitex.default.inference_mode}).")
        String inferenceMode;

        @Option(names = "--batch-size", paramLabel = "N", description = "Model inputs per pass (default: ${sys:vitex.default.batch_size}).")
        String batchSize;

        @Option(names = "--partitions", paramLabel = "N",
                description = "Spark partitions; 0 = auto (default: ${sys:vitex.default.partitions}).")
        String partitions;

        @Option(names = "--seed", paramLabel = "S", description = "Run seed (default: ${sys:vitex.default.seed}).")
        String seed;

        @Option(names = "--mode", paramLabel = "overwrite|append|resume",
                description = "Write mode (default: ${sys:vitex.default.mode}).")
        String mode;

        @Option(names = "--layout", paramLabel = "wide|long", description = "Row layout (default: ${sys:vitex.default.layout}).")
        String layout;

        @Option(names = "--metrics", paramLabel = "deletion,insertion",
                description = "Quality metrics per row: deletion and insertion AUCs (default: none).")
        String metrics;

        @Option(names = "--report", negatable = true, fallbackValue = "true",
                description = "Also write report/index.html with heatmaps (default: ${sys:vitex.default.report}).")
        Boolean report;

        @Option(names = "--master", paramLabel = "URL",
                description = "Spark master (default: spark-submit's, else local[*]).")
        String master;

        @Option(names = "--config", paramLabel = "FILE.conf", description = "HOCON file over the defaults (conf/vitex.conf documents every key).")
        String config;

        @Option(names = "--set", paramLabel = "KEY=VALUE",
                description = "Any configuration key under vitex (e.g. decode.max_pixels=5e7); repeatable.")
        List<String> sets = new ArrayList<>();

        @Option(names = "--conf", paramLabel = "SPARK_KEY=VALUE", description = "A Spark property; repeatable.")
        List<String> sparkConf = new ArrayList<>();

        /** Overrides, keys relative to `vitex`: --set first, then the named options over them. */
        Map<String, Object> overrides() {
            Map<String, Object> o = new LinkedHashMap<>();
            for (String s : sets) {
                String[] kv = split(s, "--set", "KEY=VALUE");
                o.put(kv[0], kv[1]);
            }
            for (String s : sparkConf) {
                String[] kv = split(s, "--conf", "SPARK_KEY=VALUE");
                o.put("spark." + ConfigUtil.quoteString(kv[0]), kv[1]);
            }
            for (String s : params) {
                String[] kv = split(s, "--param", "METHOD.NAME=VALUE");
                String[] mn = kv[0].split("\\.", 2);
                if (mn.length != 2 || mn[0].isBlank() || mn[1].isBlank()) {
                    throw new ConfigException("--param " + s + ": expected METHOD.NAME=VALUE, e.g. integrated_gradients.steps=32");
                }
                o.put("params." + ConfigUtil.joinPath(mn[0].trim(), mn[1].trim()), kv[1]);
            }
            put(o, "input", input);
            put(o, "model", model);
            put(o, "output", output);
            put(o, "methods", methods);
            put(o, "granularity", granularity);
            put(o, "targets", targets);
            put(o, "inference_mode", inferenceMode);
            put(o, "batch_size", batchSize);
            put(o, "partitions", partitions);
            put(o, "seed", seed);
            put(o, "mode", mode);
            put(o, "layout", layout);
            put(o, "metrics", metrics);
            put(o, "report", report);
            put(o, "master", master);
            return o;
        }

        private static void put(Map<String, Object> o, String key, Object value) {
            if (value == null) {
                return;
            }
            Object v = value instanceof String s ? s.trim() : value;
            if (v instanceof String s && INTEGER_OPTIONS.contains(key) && s.matches("-?\\d{1,18}")) {
                v = Long.parseLong(s); // numbers stay numbers in the manifest's configuration
            }
            o.put(key, v);
        }

        private static final java.util.Set<String> INTEGER_OPTIONS = java.util.Set.of("batch_size", "partitions", "seed");

        private static String[] split(String s, String option, String form) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException(option + " " + s + ": expected " + form);
            }
            return new String[] {s.substring(0, eq).trim(), s.substring(eq + 1).trim()};
        }

        JobConfig resolve() {
            Config file = config == null ? null : JobConfig.file(config);
            return JobConfig.resolve(overrides(), file);
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Explains a dataset: attributions Parquet out.%nExample: vitex run --input images/ "
                    + "--model models/vit-shapes-tiny/vit-shapes-tiny.json --output out/ --methods saliency,occlusion")
    static final class Run implements Callable<Integer> {
        @Mixin
        JobOptions options = new JobOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.ParentCommand
        AttributionJob parent;

        @Override
        public Integer call() {
            JobConfig config = options.resolve();
            List<String> command = new ArrayList<>(List.of("run"));
            command.addAll(spec.commandLine().getParseResult().originalArgs());
            new AttributionRun(config, command, parent.out).execute();
            return 0;
        }
    }

    @Command(name = "demo", mixinStandardHelpOptions = true,
            description = "The embedded default: the bundled sample images and model, local Spark, writes ./vitex-demo-out. "
                    + "Any run option can still be given.")
    static final class Demo implements Callable<Integer> {
        @Mixin
        JobOptions options = new JobOptions();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @CommandLine.ParentCommand
        AttributionJob parent;

        @Override
        public Integer call() {
            Config demo = JobConfig.defaults().getConfig(JobConfig.ROOT + ".demo");
            Path home = home();
            if (options.input == null) {
                options.input = home.resolve(demo.getString("input")).toString();
            }
            if (options.model == null) {
                options.model = home.resolve(demo.getString("model")).toString();
            }
            if (options.output == null) {
                options.output = demo.getString("output");
            }
            if (options.methods == null) {
                List<String> known = Methods.names();
                options.methods = String.join(",", demo.getStringList("methods").stream().filter(known::contains).toList());
            }
            if (options.targets == null) {
                options.targets = demo.getString("targets");
            }
            if (options.master == null) {
                options.master = demo.getString("master");
            }
            if (options.metrics == null) {
                options.metrics = String.join(",", demo.getStringList("metrics"));
            }
            if (options.report == null) {
                options.report = demo.getBoolean("report");
            }
            var demoParams = JobConfig.resolve(Map.of("params", demo.getObject("params").unwrapped()), null);
            for (String m : demoParams.params.keySet()) {
                demoParams.paramsOf(m).forEach((name, value) -> {
                    boolean given = options.params.stream().anyMatch(p -> p.startsWith(m + "." + name + "="));
                    if (!given && Methods.names().contains(m)) {
                        options.params.add(0, m + "." + name + "=" + value);
                    }
                });
            }
            JobConfig config = options.resolve();
            List<String> command = new ArrayList<>(List.of("demo"));
            command.addAll(spec.commandLine().getParseResult().originalArgs());
            AttributionRun.Result r = new AttributionRun(config, command, parent.out).keepSamples().execute();
            Demos.print(parent.out, r, config);
            return 0;
        }

        /** The vitex folder: -Dvitex.home (the launcher sets it), else the current folder or its parent. */
        static Path home() {
            String h = System.getProperty("vitex.home");
            if (h != null && !h.isBlank()) {
                return Path.of(h).toAbsolutePath();
            }
            Path here = Path.of("").toAbsolutePath();
            return Files.isDirectory(here.resolve("samples")) || here.getParent() == null ? here : here.getParent();
        }
    }

    @Command(name = "bench", description = "Benchmarks methods against plain inference (runs " + Hooks.BENCH_CLASS + ").")
    static final class Bench implements Callable<Integer> {
        @Parameters(arity = "0..*", paramLabel = "ARGS", description = "Passed to the benchmark (see: vitex bench --help).")
        List<String> args = new ArrayList<>();

        @CommandLine.Unmatched
        List<String> unmatched = new ArrayList<>();

        @Option(names = {"-h", "--help"}, description = "Passed to the benchmark.")
        boolean help;

        @CommandLine.ParentCommand
        AttributionJob parent;

        @Override
        public Integer call() throws Exception {
            Class<?> bench = Hooks.benchClass();
            if (bench == null) {
                parent.err.println("vitex bench: not yet available in this build (" + Hooks.BENCH_CLASS + " is missing)");
                return BAD_CONFIG;
            }
            List<String> a = new ArrayList<>(args);
            a.addAll(unmatched);
            if (help) {
                a.add(0, "--help");
            }
            if (bench.isAnnotationPresent(Command.class)) {
                CommandLine benchCli = new CommandLine(bench.getDeclaredConstructor().newInstance());
                benchCli.setOut(new java.io.PrintWriter(parent.out, true));
                benchCli.setErr(new java.io.PrintWriter(parent.err, true));
                return benchCli.execute(a.toArray(String[]::new));
            }
            Method main = bench.getMethod("main", String[].class);
            try {
                main.invoke(null, (Object) a.toArray(String[]::new));
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception ex ? ex : e;
            }
            return 0;
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "vitex " + RunManifest.version("vitex.version"),
                "Spark " + RunManifest.version("spark.version") + " (Scala " + RunManifest.version("scala.binary.version") + "), DJL "
                        + RunManifest.version("djl.version") + ", libtorch " + RunManifest.version("libtorch.version"),
            };
        }
    }
}
