package dev.vitex.core.model;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.Locale;

/** What is explained: the raw logits, or their (log-)softmax over the class axis. */
public enum InferenceMode {
    LOGITS,
    SOFTMAX,
    LOG_SOFTMAX;

    /** Applies the mode to logits of shape (N, classes). */
    public NDArray apply(NDArray logits) {
        return switch (this) {
            case LOGITS -> logits;
            case SOFTMAX -> logits.softmax(1);
            case LOG_SOFTMAX -> logits.logSoftmax(1);
        };
    }

    /** The command-line name: logits, softmax, log_softmax. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static InferenceMode parse(String value) {
        for (InferenceMode m : values()) {
            if (m.cliName().equals(value.trim().toLowerCase(Locale.ROOT).replace('-', '_'))) {
                return m;
            }
        }
        throw new IllegalArgumentException("inference mode must be one of "
                + Arrays.stream(values()).map(InferenceMode::cliName).toList() + ", got \"" + value + "\"");
    }
}
