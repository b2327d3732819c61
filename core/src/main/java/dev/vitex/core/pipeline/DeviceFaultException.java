package dev.vitex.core.pipeline;

/**
 * The engine's device broke (a CUDA error other than out-of-memory): thrown out of {@link
 * GroupExplainer#explain} instead of becoming error rows, so the caller can drop its cached model and
 * fail the task for a retry elsewhere.
 */
public final class DeviceFaultException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DeviceFaultException(String what, Throwable cause) {
        super(what + ": the device failed (" + Failures.describe(cause) + "); the model is dropped and the task fails so "
                + "it is retried elsewhere", cause);
    }
}
