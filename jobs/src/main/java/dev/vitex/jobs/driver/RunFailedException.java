package dev.vitex.jobs.driver;

/**
 * A run that wrote everything it had but is sick ({@link RunHealth}): the command line prints the
 * message as one line and exits with status 1.
 */
public final class RunFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunFailedException(String message) {
        super(message);
    }
}
