package dev.vitex.jobs.cli;

import com.typesafe.config.Config;
import dev.vitex.core.method.Methods;
import dev.vitex.jobs.config.JobConfig;
import dev.vitex.jobs.config.Options;
import dev.vitex.jobs.driver.AttributionRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code vitex demo}: the run with the demo's defaults ({@code demo} in conf/vitex.conf) for every option not given. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "The embedded default: the bundled sample images and model, local Spark, writes ./vitex-demo-out. "
                + "Any run option can still be given.")
final class DemoCommand extends JobCommand {
    @Override
    public Integer call() {
        JobConfig config = config();
        AttributionRun.Result r = new AttributionRun(config, command(), parent.out).keepSamples().execute();
        Demos.print(parent.out, r, config);
        return ExitStatus.OK;
    }

    /** The options given, the demo's defaults for the run options not given, then the usual layers. */
    JobConfig config() {
        Config demo = Options.defaults().getConfig(JobConfig.ROOT + ".demo");
        Path home = home();
        List<String> known = Methods.names();
        Map<String, Object> fallbacks = new LinkedHashMap<>();
        fallbacks.put(Options.INPUT.key(), home.resolve(demo.getString("input")).toString());
        fallbacks.put(Options.MODEL.key(), home.resolve(demo.getString("model")).toString());
        fallbacks.put(Options.OUTPUT.key(), demo.getString("output"));
        fallbacks.put(Options.METHODS.key(),
                String.join(",", demo.getStringList("methods").stream().filter(known::contains).toList()));
        fallbacks.put(Options.TARGETS.key(), demo.getString("targets"));
        fallbacks.put(Options.MASTER.key(), demo.getString("master"));
        fallbacks.put(Options.METRICS.key(), String.join(",", demo.getStringList("metrics")));
        fallbacks.put(Options.REPORT.key(), demo.getBoolean("report"));
        return options.resolve(fallbacks, demoParams(demo, known));
    }

    /** The demo's method parameters as --param values, for the methods of this build (a --param given wins: it comes later). */
    private static List<String> demoParams(Config demo, List<String> known) {
        JobConfig withParams = JobConfig.resolve(Map.of("params", demo.getObject("params").unwrapped()), null);
        List<String> out = new ArrayList<>();
        for (String m : withParams.params.keySet()) {
            if (known.contains(m)) {
                withParams.paramsOf(m).forEach((name, value) -> out.add(m + "." + name + "=" + value));
            }
        }
        return out;
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
