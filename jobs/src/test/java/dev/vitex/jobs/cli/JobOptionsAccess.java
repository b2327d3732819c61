package dev.vitex.jobs.cli;

import dev.vitex.jobs.config.JobConfig;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** Tests resolve a command line to its configuration without running it. */
public final class JobOptionsAccess {
    private JobOptionsAccess() {}

    /** {@code args} = {@code run ...} or {@code demo ...}; the configuration the command would run with. */
    public static JobConfig resolve(String... args) {
        CommandLine cli = VitexCommand.commandLine(List.of(args), System.out, System.err);
        cli.parseArgs(args);
        Object command = cli.getSubcommands().get(args[0]).getCommand();
        return command instanceof RunCommand run ? run.options.resolve(Map.of(), List.of()) : ((DemoCommand) command).config();
    }
}
