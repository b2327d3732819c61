package dev.vitex.jobs.audit;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options {@code audit} and {@code compare} share: where the tables go, the page, the Spark master. */
final class AuditOutputOptions {
    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "Where the tables (Parquet) go, and index.html with --report.")
    String output;

    @Option(names = "--report", description = "Also write DIR/index.html with heatmaps (DIR must be a local folder).")
    boolean report;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: the application's, else local[*]).")
    String master;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** Where the command's summary lines go. */
    PrintWriter console() {
        return command.commandLine().getOut();
    }

    /** The summary line, then where the page is (when one was written). */
    void summary(String line, String page) {
        console().println(line);
        if (page != null) {
            console().println(command.name() + " page: " + page);
        }
    }

    /** Refuses a non-local output before any Spark work when a page is wanted. */
    void checkPageFolder() {
        if (report) {
            PageImages.localDir(output);
        }
    }
}
