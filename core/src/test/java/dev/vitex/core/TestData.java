package dev.vitex.core;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the committed fixtures and JSON helpers for reference values (made by scripts/*.py, never by Java). */
public final class TestData {
    private TestData() {}

    /** The repository root (tests run with the module folder as working directory). */
    public static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("models")) ? here : here.getParent();
    }

    public static Path shapesCard() {
        return root().resolve("models/vit-shapes-tiny/vit-shapes-tiny.json");
    }

    public static Path samples() {
        return root().resolve("samples/shapes");
    }

    public static Path testModel(String name) {
        return root().resolve("models/test/" + name + ".json");
    }

    public static Path resource(String relative) {
        return root().resolve("core/src/test/resources/" + relative);
    }

    public static JsonObject json(Path path) {
        try {
            return JsonParser.parseString(Files.readString(path)).getAsJsonObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Flattens nested JSON arrays of numbers, row-major. */
    public static float[] floats(JsonElement e) {
        java.util.List<Float> out = new java.util.ArrayList<>();
        flatten(e, out);
        float[] a = new float[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i);
        }
        return a;
    }

    private static void flatten(JsonElement e, java.util.List<Float> out) {
        if (e.isJsonArray()) {
            for (JsonElement c : (JsonArray) e) {
                flatten(c, out);
            }
        } else {
            out.add(e.getAsFloat());
        }
    }

    public static float maxAbs(float[] a) {
        float m = 0;
        for (float v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    public static float maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("length " + a.length + " vs " + b.length);
        }
        float m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
