package dev.vitex.jobs.output;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Hides secrets in what the manifest records (the resolved configuration and the command line) the
 * way Spark's {@code Utils.redact} does: a key/value pair whose key or value matches
 * {@code spark.redaction.regex} keeps its key and shows its value as {@value #REPLACEMENT}.
 */
public final class Redaction {
    /** Spark's default {@code spark.redaction.regex}. */
    public static final String DEFAULT_REGEX = "(?i)secret|password|token|access[.]?key";
    /** Spark's {@code Utils.REDACTION_REPLACEMENT_TEXT}. */
    public static final String REPLACEMENT = "*********(redacted)";

    private final Pattern pattern;

    public Redaction(String regex) {
        this.pattern = Pattern.compile(regex);
    }

    /** With the run's {@code spark.redaction.regex}, else Spark's default. */
    public static Redaction of(Map<String, String> sparkProperties) {
        return new Redaction(sparkProperties.getOrDefault("spark.redaction.regex", DEFAULT_REGEX));
    }

    private boolean secret(String key, String value) {
        return pattern.matcher(key).find() || (value != null && pattern.matcher(value).find());
    }

    /** The value to show for {@code key = value}. */
    public String value(String key, String value) {
        return secret(key, value) ? REPLACEMENT : value;
    }

    /**
     * A copy of a JSON configuration with the value of every matching key redacted (at any depth; a
     * key's path is joined with dots, as in {@code spark."spark.hadoop.fs.s3a.secret.key"}).
     */
    public JsonElement json(JsonElement e) {
        return json("", e);
    }

    private JsonElement json(String key, JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return e;
        }
        if (e.isJsonObject()) {
            JsonObject out = new JsonObject();
            for (Map.Entry<String, JsonElement> f : e.getAsJsonObject().entrySet()) {
                String k = key.isEmpty() ? f.getKey() : key + "." + f.getKey();
                out.add(f.getKey(), json(k, f.getValue()));
            }
            return out;
        }
        if (e.isJsonArray()) {
            JsonArray out = new JsonArray();
            e.getAsJsonArray().forEach(x -> out.add(json(key, x)));
            return out;
        }
        String text = e.getAsJsonPrimitive().isString() ? e.getAsString() : null;
        return secret(key, text) ? new JsonPrimitive(REPLACEMENT) : e;
    }

    /**
     * The command line with the value of every {@code KEY=VALUE} argument that matches redacted
     * ({@code --conf spark.hadoop.fs.s3a.secret.key=X}, {@code --set …}, {@code -Dkey=X}), and the
     * argument after an option whose name matches ({@code --token X}).
     */
    public List<String> command(List<String> args) {
        List<String> out = new ArrayList<>(args.size());
        boolean nextIsSecret = false;
        for (String a : args) {
            if (nextIsSecret) {
                out.add(REPLACEMENT);
                nextIsSecret = false;
                continue;
            }
            int eq = a.indexOf('=');
            if (eq > 0) {
                String k = a.substring(0, eq);
                String v = a.substring(eq + 1);
                out.add(secret(k, v) ? k + "=" + REPLACEMENT : a);
            } else if (a.startsWith("-") && pattern.matcher(a).find()) {
                out.add(a);
                nextIsSecret = true;
            } else {
                out.add(pattern.matcher(a).find() ? REPLACEMENT : a);
            }
        }
        return out;
    }
}
