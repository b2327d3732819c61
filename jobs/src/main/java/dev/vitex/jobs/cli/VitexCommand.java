package dev.vitex.jobs.cli;

import dev.vitex.jobs.audit.AuditCommand;
import dev.vitex.jobs.audit.CompareCommand;
import dev.vitex.jobs.config.ConfigException;
import dev.vitex.jobs.config.JobConfig;
import dev.vitex.jobs.driver.RunFailedException;
import dev.vitex.jobs.output.RunManifest;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The command line (design.md § Command line): {@code run}, {@code demo}, {@code bench}, {@code gpu-check}, and
 * {@code --version}. Bad options and configurations are one line and {@link ExitStatus#BAD_CONFIG};
 * a failed job is one line (the cause, unwrapped from Spark's layers) and {@link ExitStatus#FAILED}.
 */
@Command(name = "vitex", mixinStandardHelpOptions = true, versionProvider = VitexCommand.Version.class,
        description = "Explains ViT image classifiers at dataset scale (DJL + Spark).",
        subcommands = {RunCommand.class, DemoCommand.class, BenchCommand.class, AuditCommand.class, CompareCommand.class,
                GpuCheckCommand.class},
        synopsisSubcommandLabel = "(run | demo | bench | audit | compare | gpu-check)")
public final class VitexCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("vitex");

    @Spec
    CommandSpec spec;

    final PrintStream out;
    final PrintStream err;

    private VitexCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** The whole command line, writing to {@code out} and {@code err}; run it with {@code execute(args)}. */
    public static CommandLine commandLine(List<String> args, PrintStream out, PrintStream err) {
        CommandLine cli = new CommandLine(new VitexCommand(out, err));
        cli.setOverwrittenOptionsAllowed(true); // the last --methods, --mode... wins (handy after a shell alias)
        JobOptions.declareOn(cli.getSubcommands().get("run").getCommandSpec());
        JobOptions.declareOn(cli.getSubcommands().get("demo").getCommandSpec());
        if (!args.isEmpty() && args.get(0).equals("bench")) {
            BenchCommand.passEverythingThrough(cli);
        }
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setParameterExceptionHandler((ex, a) -> {
            CommandLine where = ex.getCommandLine();
            err.println("vitex: " + JobConfig.oneLine(ex.getMessage()) + " (see: vitex "
                    + (where.getParent() == null ? "" : where.getCommandName() + " ") + "--help)");
            return ExitStatus.BAD_CONFIG;
        });
        cli.setExecutionExceptionHandler((ex, c, parseResult) -> {
            if (ex instanceof ConfigException) {
                err.println("vitex: " + JobConfig.oneLine(ex.getMessage()));
                return ExitStatus.BAD_CONFIG;
            }
            if (ex instanceof RunFailedException) { // a sick run: everything is written, the reason is one line
                err.println("vitex: run failed: " + JobConfig.oneLine(ex.getMessage()));
                return ExitStatus.FAILED;
            }
            LOG.error("job failed", ex);
            err.println("vitex: job failed: " + rootMessage(ex));
            return ExitStatus.FAILED;
        });
        return cli;
    }

    /** No sub-command: the usage, and the status of a bad command line. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitStatus.BAD_CONFIG;
    }

    /** The most useful one-line message of a failure (Spark wraps task failures several times). */
    public static String rootMessage(Throwable e) {
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

    static final class Version implements IVersionProvider {
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
