package dev.vitex.core.method;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.util.Map;
import java.util.TreeMap;

/** Parameters as canonical JSON: sorted keys, plain values, so equal settings give equal strings. */
public final class CanonicalParams {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();
    private final Map<String, Object> values = new TreeMap<>();

    public CanonicalParams put(String name, Object value) {
        values.put(name, value);
        return this;
    }

    public String json() {
        return GSON.toJson(values);
    }
}
