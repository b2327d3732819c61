package dev.vitex.jobs.audit;

import picocli.CommandLine.Option;

/** The options {@code audit} and {@code compare} share: where the tables go, the page, the Spark master. */
final class AuditOutputOptions {
    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "Where the tables (Parquet) go, and index.html with --report.")
    String output;

    @Option(names = "--report", description = "Also write DIR/index.html with heatmaps (DIR must be a local folder).")
    boolean report;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: the application's, else local[*]).")
    String master;

    /** Refuses a non-local output before any Spark work when a page is wanted. */
    void checkPageFolder() {
        if (report) {
            PageImages.localDir(output);
        }
    }
}
