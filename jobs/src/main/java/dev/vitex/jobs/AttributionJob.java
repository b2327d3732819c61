package dev.vitex.jobs;

import dev.vitex.jobs.cli.ExitStatus;
import dev.vitex.jobs.cli.VitexCommand;
import java.io.PrintStream;
import java.util.List;

/**
 * The entry point ({@code spark-submit --class dev.vitex.jobs.AttributionJob}, {@code scripts/vitex}):
 * the command line of {@link VitexCommand}, and its exit status: {@value #OK} on success (bad images
 * are error rows, not failures), {@value #BAD_CONFIG} with a one-line reason for a bad configuration,
 * {@value #FAILED} when the job itself fails.
 */
public final class AttributionJob {
    public static final int OK = ExitStatus.OK;
    /** Exit status of a failed job. */
    public static final int FAILED = ExitStatus.FAILED;
    /** Exit status of a bad configuration. */
    public static final int BAD_CONFIG = ExitStatus.BAD_CONFIG;

    private AttributionJob() {}

    public static void main(String[] args) {
        System.exit(execute(args, System.out, System.err));
    }

    /** Runs the command line in this JVM and returns the exit status (tests call this). */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        return VitexCommand.commandLine(List.of(args), out, err).execute(args);
    }
}
