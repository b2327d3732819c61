package dev.vitex.jobs.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What {@code run} and {@code demo} share: the job's options, the parsed command, the top-level streams. */
abstract class JobCommand implements Callable<Integer> {
    @Mixin
    JobOptions options = new JobOptions();

    @Spec
    CommandSpec spec;

    @ParentCommand
    VitexCommand parent;

    /** The command line as the manifest records it: the sub-command and its arguments as given. */
    List<String> command() {
        List<String> command = new ArrayList<>(List.of(spec.name()));
        command.addAll(spec.commandLine().getParseResult().originalArgs());
        return command;
    }
}
