package dev.vitex.jobs.output;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * {@code _manifest.json}: what ran, on what, with which versions, and what came out: run id,
 * start/end time, the full resolved configuration, the model card and sha256, versions (vitex,
 * Spark, DJL, libtorch), counts (images read / explained / failed, rows per method, errors by
 * stage), timings, and the executors with their devices.
 */
public final class RunManifest {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
            .serializeNulls().serializeSpecialFloatingPointValues().create();
    private static final Properties BUILD = build();
    private final JsonObject root = new JsonObject();

    public RunManifest(String runId, Instant started, List<String> command) {
        root.addProperty("run_id", runId);
        root.addProperty("status", "running");
        root.addProperty("started_at", started.toString());
        root.add("finished_at", null);
        JsonArray cmd = new JsonArray();
        command.forEach(cmd::add);
        root.add("command", cmd);
    }

    public JsonObject root() {
        return root;
    }

    public RunManifest put(String key, JsonElement value) {
        root.add(key, value);
        return this;
    }

    public static JsonObject object() {
        return new JsonObject();
    }

    public static JsonElement parse(String json) {
        return JsonParser.parseString(json);
    }

    /** An object of counts or numbers. */
    public static JsonObject numbers(Map<String, ? extends Number> values) {
        JsonObject o = new JsonObject();
        values.forEach(o::addProperty);
        return o;
    }

    /** The settings that make rows comparable; resume refuses a folder whose fingerprint differs. */
    public static JsonObject fingerprint(String modelSha256, String inputRoot, String targets, String granularity,
                                         String inferenceMode, String layout, Map<String, String> methodParams) {
        JsonObject f = new JsonObject();
        f.addProperty("model_sha256", modelSha256);
        f.addProperty("input_root", inputRoot);
        f.addProperty("targets", targets);
        f.addProperty("granularity", granularity);
        f.addProperty("inference_mode", inferenceMode);
        f.addProperty("layout", layout);
        JsonObject p = new JsonObject();
        methodParams.forEach(p::addProperty);
        f.add("params", p);
        return f;
    }

    /** The card as written on disk (parsed), or its text when it is not JSON. */
    public static JsonElement card(java.nio.file.Path cardPath) {
        try {
            return JsonParser.parseString(Files.readString(cardPath));
        } catch (IOException | RuntimeException e) {
            JsonObject o = new JsonObject();
            o.addProperty("unreadable", e.getMessage());
            return o;
        }
    }

    public static String version(String key) {
        return BUILD.getProperty(key, "unknown");
    }

    /** vitex, Spark, Scala, DJL, libtorch (as the executors reported it, else the build's) and Java versions. */
    public static JsonObject versions(String sparkVersion, String libtorch) {
        JsonObject v = new JsonObject();
        v.addProperty("vitex", version("vitex.version"));
        v.addProperty("spark", sparkVersion);
        v.addProperty("scala", scala.util.Properties.versionNumberString());
        String djl;
        try {
            djl = ai.djl.engine.Engine.getDjlVersion();
        } catch (RuntimeException | LinkageError e) {
            djl = version("djl.version");
        }
        v.addProperty("djl", djl);
        v.addProperty("libtorch", libtorch == null ? version("libtorch.version") : libtorch);
        v.addProperty("java", System.getProperty("java.version"));
        return v;
    }

    public RunManifest finish(String status) {
        root.addProperty("status", status);
        root.addProperty("finished_at", Instant.now().toString());
        return this;
    }

    public String json() {
        return GSON.toJson(root);
    }

    private static Properties build() {
        Properties p = new Properties();
        try (InputStream in = RunManifest.class.getResourceAsStream("/dev/vitex/jobs/build.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // versions become "unknown"
        }
        return p;
    }
}
