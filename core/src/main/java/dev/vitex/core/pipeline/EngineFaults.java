package dev.vitex.core.pipeline;

import java.util.Locale;

/**
 * Reads what kind of engine failure an exception is, from the messages along its cause chain (libtorch
 * reports through {@code ai.djl.engine.EngineException} and plain runtime exceptions, with its own
 * message text): an out-of-memory a smaller batch may avoid, or a broken CUDA device no retry on it
 * can fix.
 */
public final class EngineFaults {
    private static final String[] OUT_OF_MEMORY = {"can't allocate memory", "not enough memory",
            "out of memory"};
    private static final String[] DEVICE = {"cuda error", "cuda driver", "device-side assert"};

    private EngineFaults() {}

    /** An allocator failure of libtorch (CPU or CUDA): the batch was too large for the memory left. */
    public static boolean isOutOfMemory(Throwable t) {
        return matches(t, OUT_OF_MEMORY);
    }

    /** A CUDA failure other than out-of-memory: the device context is unusable for this process. */
    public static boolean isDeviceFault(Throwable t) {
        return !isOutOfMemory(t) && matches(t, DEVICE);
    }

    private static boolean matches(Throwable t, String[] needles) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            String m = c.getMessage() == null ? "" : c.getMessage().toLowerCase(Locale.ROOT);
            for (String n : needles) {
                if (m.contains(n)) {
                    return true;
                }
            }
        }
        return false;
    }
}
