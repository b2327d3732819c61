package dev.vitex.jobs;

import java.util.List;

/**
 * Extension points for parts that land in core separately: quality metrics ({@code --metrics},
 * {@code dev.vitex.core.metric}) and the audit report ({@code --report}, {@code dev.vitex.core.render}),
 * and the benchmark ({@code vitex bench}).
 *
 * <p>Until they are wired in, asking for them is a configuration error with a message saying so,
 * raised before Spark starts; the {@code deletion_auc} and {@code insertion_auc} columns are null.
 * Wiring them in: metrics are computed per attribution in {@link PartitionRunner} (where the
 * model, the preprocessed image and the {@code Attribution} meet) and fill those two columns;
 * the report runs in {@link AttributionRun} after the Parquet is written, into {@code <output>/report/}.
 */
public final class Hooks {
    /**
     * The class `vitex bench` runs: a picocli command (run in this JVM, its exit status returned),
     * or any class with {@code main(String[])}.
     */
    public static final String BENCH_CLASS = "dev.vitex.jobs.bench.Bench";

    private Hooks() {}

    public static void checkMetrics(List<String> metrics) {
        if (!metrics.isEmpty()) {
            throw new ConfigException("--metrics " + String.join(",", metrics) + ": deletion/insertion metrics are not "
                    + "available yet in this build (they come with dev.vitex.core.metric); run without --metrics "
                    + "(deletion_auc and insertion_auc are then null)");
        }
    }

    public static void checkReport(boolean report) {
        if (report) {
            throw new ConfigException("--report: the HTML report is not available yet in this build (it comes with "
                    + "dev.vitex.core.render); run without --report");
        }
    }

    /** The benchmark's main class, or null when this build has none. */
    public static Class<?> benchClass() {
        try {
            return Class.forName(BENCH_CLASS);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }
}
