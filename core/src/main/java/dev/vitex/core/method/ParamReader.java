package dev.vitex.core.method;

import dev.vitex.core.perturb.Baseline;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Typed, validated reading of one method's {@code --param METHOD.NAME=VALUE} values. Every problem
 * is an {@link IllegalArgumentException} that names the method, the parameter and what is allowed;
 * {@link #finish()} refuses names the method does not know.
 */
public final class ParamReader {
    private final String method;
    private final Map<String, String> values;
    private final Set<String> known = new HashSet<>();

    public ParamReader(String method, Map<String, String> values) {
        this.method = method;
        this.values = new TreeMap<>(values);
    }

    public String method() {
        return method;
    }

    private String raw(String name) {
        known.add(name);
        String v = values.get(name);
        return v == null ? null : v.trim();
    }

    public String string(String name, String fallback) {
        String v = raw(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    public String choice(String name, String fallback, List<String> allowed) {
        String v = string(name, fallback).toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw error(name, "must be one of " + allowed + ", got \"" + v + "\"");
        }
        return v;
    }

    public int integer(String name, int fallback, int min, int max) {
        String v = raw(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw error(name, "must be an integer in [" + min + ", " + max + "], got \"" + v + "\"");
        }
        if (parsed < min || parsed > max) {
            throw error(name, "must be an integer in [" + min + ", " + max + "], got " + parsed);
        }
        return parsed;
    }

    /** An optional integer: {@code null} when unset. */
    public Integer optionalInteger(String name, int min, int max) {
        String v = raw(name);
        return v == null || v.isEmpty() ? null : integer(name, min, min, max);
    }

    public double number(String name, double fallback, double min, double max, boolean minInclusive) {
        String v = raw(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        double parsed;
        try {
            parsed = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw error(name, "must be a number, got \"" + v + "\"");
        }
        boolean lowOk = minInclusive ? parsed >= min : parsed > min;
        if (!lowOk || parsed > max || Double.isNaN(parsed)) {
            throw error(name, "must be in " + (minInclusive ? "[" : "(") + min + ", " + max + "], got " + parsed);
        }
        return parsed;
    }

    public boolean bool(String name, boolean fallback) {
        String v = raw(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw error(name, "must be true or false, got \"" + v + "\"");
        };
    }

    /**
     * The {@code baseline} parameter (default 0.0), parsed for {@code channels} channels; a bad value
     * names the parameter and what is allowed.
     */
    public Baseline baseline(int channels) {
        try {
            return Baseline.parse(string("baseline", "0.0"), channels);
        } catch (IllegalArgumentException e) {
            throw error("baseline", e.getMessage());
        }
    }

    /** Refuses parameter names that were never read. */
    public void finish() {
        for (String name : values.keySet()) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown parameter " + method + "." + name + " (known: "
                        + new TreeMap<>(toMap(known)).keySet() + ")");
            }
        }
    }

    private static Map<String, Boolean> toMap(Set<String> names) {
        Map<String, Boolean> m = new TreeMap<>();
        names.forEach(n -> m.put(n, true));
        return m;
    }

    public IllegalArgumentException error(String name, String problem) {
        return new IllegalArgumentException("parameter " + method + "." + name + " " + problem);
    }
}
