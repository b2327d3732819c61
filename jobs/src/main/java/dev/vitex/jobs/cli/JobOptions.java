package dev.vitex.jobs.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigUtil;
import dev.vitex.jobs.config.ConfigException;
import dev.vitex.jobs.config.JobConfig;
import dev.vitex.jobs.config.Option;
import dev.vitex.jobs.config.Options;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Spec;

/**
 * The options {@code run} and {@code demo} share. The named ones ({@code --batch-size}...) are built
 * from the declarations of {@link Options} by {@link #declareOn}; the four below are about layers
 * (files, any key, Spark properties, method parameters) rather than one key each.
 */
public final class JobOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @CommandLine.Option(names = "--param", paramLabel = "METHOD.NAME=VALUE",
            description = "A method parameter (names of methods.md); repeatable.")
    List<String> params = new ArrayList<>();

    @CommandLine.Option(names = "--config", paramLabel = "FILE.conf",
            description = "HOCON file over the defaults (conf/vitex.conf documents every key).")
    String config;

    @CommandLine.Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Any configuration key under vitex (e.g. decode.max_pixels=5e7); repeatable.")
    List<String> sets = new ArrayList<>();

    @CommandLine.Option(names = "--conf", paramLabel = "SPARK_KEY=VALUE", description = "A Spark property; repeatable.")
    List<String> sparkConf = new ArrayList<>();

    /** Adds one command-line option per declared option that has a flag (values stay null when not given). */
    static void declareOn(CommandSpec spec) {
        for (Option<?> o : Options.commandLine()) {
            OptionSpec.Builder b = OptionSpec.builder(o.flag()).description(o.helpLine().replace("%", "%%"));
            if (o.isSwitch()) {
                b.type(Boolean.class).negatable(true);
            } else {
                b.type(String.class).paramLabel(o.label());
            }
            spec.addOption(b.build());
        }
    }

    /** The value given on the command line for a declared option, or null. */
    Object given(Option<?> option) {
        return command.findOption(option.flag()).getValue();
    }

    /**
     * The configuration from these options over the defaults. {@code fallbacks} (by key) fill the named
     * options not given; {@code defaultParams} (METHOD.NAME=VALUE) come before the --param values, which win.
     */
    JobConfig resolve(Map<String, Object> fallbacks, List<String> defaultParams) {
        Config file = config == null ? null : JobConfig.file(config);
        return JobConfig.resolve(overrides(fallbacks, defaultParams), file);
    }

    /** Overrides, keys relative to `vitex`: --set first, then --conf, --param, and the named options over them. */
    private Map<String, Object> overrides(Map<String, Object> fallbacks, List<String> defaultParams) {
        Map<String, Object> o = new LinkedHashMap<>();
        for (String s : sets) {
            String[] kv = split(s, "--set", "KEY=VALUE");
            o.put(kv[0], kv[1]);
        }
        for (String s : sparkConf) {
            String[] kv = split(s, "--conf", "SPARK_KEY=VALUE");
            o.put("spark." + ConfigUtil.quoteString(kv[0]), kv[1]);
        }
        List<String> allParams = new ArrayList<>(defaultParams);
        allParams.addAll(params);
        for (String s : allParams) {
            String[] kv = split(s, "--param", "METHOD.NAME=VALUE");
            String[] mn = kv[0].split("\\.", 2);
            if (mn.length != 2 || mn[0].isBlank() || mn[1].isBlank()) {
                throw new ConfigException("--param " + s + ": expected METHOD.NAME=VALUE, e.g. integrated_gradients.steps=32");
            }
            o.put("params." + ConfigUtil.joinPath(mn[0].trim(), mn[1].trim()), kv[1]);
        }
        for (Option<?> option : Options.commandLine()) {
            Object value = given(option);
            put(o, option, value != null ? value : fallbacks.get(option.key()));
        }
        return o;
    }

    private static void put(Map<String, Object> o, Option<?> option, Object value) {
        if (value == null) {
            return;
        }
        Object v = value instanceof String s ? s.trim() : value;
        if (v instanceof String s && option.isWholeNumber() && s.matches("-?\\d{1,18}")) {
            v = Long.parseLong(s); // numbers stay numbers in the manifest's configuration
        }
        o.put(option.key(), v);
    }

    private static String[] split(String s, String option, String form) {
        int eq = s.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException(option + " " + s + ": expected " + form);
        }
        return new String[] {s.substring(0, eq).trim(), s.substring(eq + 1).trim()};
    }
}
