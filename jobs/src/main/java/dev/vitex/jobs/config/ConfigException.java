package dev.vitex.jobs.config;

/**
 * A configuration the job cannot run with (missing model, bad card, unknown method or parameter,
 * bad option value, unwritable output...). Raised before Spark starts; the command line prints the
 * message as one line and exits with status 2.
 */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
