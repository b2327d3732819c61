package dev.vitex.jobs.cli;

/** The exit statuses of the command line, as the README documents them. */
public final class ExitStatus {
    /** The run finished (bad images are error rows, not failures). */
    public static final int OK = 0;
    /** The job itself failed. */
    public static final int FAILED = 1;
    /** A bad configuration or command line, reported in one line (before Spark starts when Spark is not needed to see it). */
    public static final int BAD_CONFIG = 2;

    private ExitStatus() {}
}
