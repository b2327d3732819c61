package dev.vitex.jobs.cli;

import dev.vitex.jobs.config.Options;
import dev.vitex.jobs.gpu.GpuCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code vitex gpu-check [--model CARD]}: is this node's GPU ready for vitex (README § GPU clusters). */
@Command(name = "gpu-check", mixinStandardHelpOptions = true,
        description = {"Checks a GPU node: libtorch with CUDA, every method on cuda:0 against the CPU, throughput by batch size.",
                "Exit status: 0 ready, 1 a mismatch or failure, 2 no GPU (or bad options)."})
final class GpuCheckCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "CARD", description = "Model card whose throughput to measure (default: the bundled model).")
    Path model;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "2", description = "Seconds per throughput measurement (default: ${DEFAULT-VALUE}).")
    double seconds;

    @ParentCommand
    VitexCommand parent;

    @Override
    public Integer call() {
        Path fixture = DemoCommand.home().resolve((String) Options.byKey("demo.model").defaultValue());
        Path card = model == null ? fixture : model;
        if (!Files.isRegularFile(card)) {
            parent.err.println("vitex: gpu-check: no model card at " + card + " (--model)");
            return ExitStatus.BAD_CONFIG;
        }
        return new GpuCheck(fixture, card, seconds).run(parent.out);
    }
}
