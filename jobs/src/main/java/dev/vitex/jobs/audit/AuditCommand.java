package dev.vitex.jobs.audit;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code vitex audit}: the dataset audit of a run's attributions (README § Auditing a dataset). */
@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Per-class summaries, SpRAy clusters and outlier scores of a run's attributions.%n"
                + "Example: vitex audit --run out/ --output audit/ --report")
public final class AuditCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, paramLabel = "RUN_DIR", description = "A vitex run's output folder (attributions/ inside).")
    String run;

    @Option(names = "--methods", paramLabel = "M1,M2", description = "Only these methods (default: all in the run).")
    String methods;

    @Option(names = "--max-sample", paramLabel = "N", description = "Maps clustered per class; the rest join the nearest cluster "
            + "(default: " + AuditOptions.DEFAULT_MAX_SAMPLE + ").")
    int maxSample = AuditOptions.DEFAULT_MAX_SAMPLE;

    @Option(names = "--max-clusters", paramLabel = "K", description = "Largest number of clusters per class (default: "
            + AuditOptions.DEFAULT_MAX_CLUSTERS + ").")
    int maxClusters = AuditOptions.DEFAULT_MAX_CLUSTERS;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the sample and of k-means (default: 0).")
    long seed;

    @Mixin
    AuditOutputOptions out = new AuditOutputOptions();

    @Override
    public Integer call() {
        List<String> m = methods == null ? List.of() : Arrays.stream(methods.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        AuditOptions options = new AuditOptions(run, out.output, m, maxSample, maxClusters, seed, out.report);
        out.checkPageFolder();
        DatasetAudit.Result r = AuditSpark.with(out.master, spark -> new DatasetAudit(spark, options).execute());
        out.summary(String.format(Locale.ROOT, "audit: %d rows, %d classes, %d clusters in %.1f s (%.0f rows/s) -> %s", r.rows(),
                r.classes(), r.clusters(), r.seconds(), r.rows() / r.seconds(), out.output), r.page());
        return 0;
    }
}
