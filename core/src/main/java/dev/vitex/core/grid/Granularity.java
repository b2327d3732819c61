package dev.vitex.core.grid;

import java.util.Locale;

/** The attribution grid: one score per patch (cell) or per pixel of the model input. */
public enum Granularity {
    PATCH,
    PIXEL;

    public static Granularity parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("granularity must be patch or pixel, got \"" + value + "\"");
        }
    }
}
