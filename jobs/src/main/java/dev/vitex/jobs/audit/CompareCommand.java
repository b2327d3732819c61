package dev.vitex.jobs.audit;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vitex compare}: what changed between the explanations of two runs (README § Auditing a dataset). */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Per-image explanation changes between two runs (same images, methods and grid).%n"
                + "Example: vitex compare --base old/ --candidate new/ --output cmp/ --report")
public final class CompareCommand implements Callable<Integer> {
    @Option(names = "--base", required = true, paramLabel = "RUN_A", description = "The reference run's output folder.")
    String base;

    @Option(names = "--candidate", required = true, paramLabel = "RUN_B", description = "The run compared with it.")
    String candidate;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "Where images/ and summary/ go.")
    String output;

    @Option(names = "--report", description = "Also write DIR/index.html: the most changed maps side by side.")
    boolean report;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: the application's, else local[*]).")
    String master;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (report) {
            PageImages.localDir(output);
        }
        RunComparison.Result r = AuditSpark.with(master, spark -> new RunComparison(spark).execute(base, candidate, output, report));
        spec.commandLine().getOut().printf("compare: %d rows compared; %d base rows and %d candidate rows had no partner -> %s%n",
                r.matched(), r.baseOnly(), r.candidateOnly(), output);
        if (r.page() != null) {
            spec.commandLine().getOut().println("compare page: " + r.page());
        }
        return 0;
    }
}
