package dev.vitex.jobs.cli;

import dev.vitex.jobs.config.JobConfig;
import dev.vitex.jobs.driver.AttributionRun;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code vitex run}: explains a dataset. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Explains a dataset: attributions Parquet out.%nExample: vitex run --input images/ "
                + "--model models/vit-shapes-tiny/vit-shapes-tiny.json --output out/ --methods saliency,occlusion")
final class RunCommand implements Callable<Integer> {
    @Mixin
    JobOptions options = new JobOptions();

    @Spec
    CommandSpec spec;

    @ParentCommand
    VitexCommand parent;

    @Override
    public Integer call() {
        JobConfig config = options.resolve(Map.of(), List.of());
        new AttributionRun(config, command(spec, "run"), parent.out).execute();
        return ExitStatus.OK;
    }

    /** The command line as the manifest records it: the sub-command and its arguments as given. */
    static List<String> command(CommandSpec spec, String name) {
        List<String> command = new ArrayList<>(List.of(name));
        command.addAll(spec.commandLine().getParseResult().originalArgs());
        return command;
    }
}
