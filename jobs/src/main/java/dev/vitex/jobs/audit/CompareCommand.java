package dev.vitex.jobs.audit;

import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vitex compare}: what changed between the explanations of two runs (README § Auditing a dataset). */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Per-image explanation changes between two runs (same images, methods and grid).%n"
                + "Example: vitex compare --base old/ --candidate new/ --output cmp/ --report")
public final class CompareCommand implements Callable<Integer> {
    @Option(names = "--base", required = true, paramLabel = "RUN_A", description = "The reference run's output folder.")
    String base;

    @Option(names = "--candidate", required = true, paramLabel = "RUN_B", description = "The run compared with it.")
    String candidate;

    @Mixin
    AuditOutputOptions out = new AuditOutputOptions();

    @Override
    public Integer call() {
        out.checkPageFolder();
        RunComparison.Result r = AuditSpark.with(out.master, spark -> new RunComparison(spark).execute(base, candidate, out.output, out.report));
        out.summary(String.format(Locale.ROOT, "compare: %d rows compared; %d base rows and %d candidate rows had no partner -> %s",
                r.matched(), r.baseOnly(), r.candidateOnly(), out.output), r.page());
        return 0;
    }
}
