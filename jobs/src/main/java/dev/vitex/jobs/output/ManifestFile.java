package dev.vitex.jobs.output;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * Reads and writes {@code _manifest.json} and its copy {@code _manifests/<run id>.json}. Every write
 * goes to a temporary file first and is then renamed over the old one, so a reader (or the next run
 * after a kill) sees the previous version or the new one, never half a file. On the local file system
 * through java.nio (an atomic {@code rename(2)}, no {@code .crc} companions); elsewhere through
 * Hadoop's {@link FileContext} rename with overwrite (atomic on HDFS).
 */
public final class ManifestFile {
    public static final String NAME = "_manifest.json";
    public static final String HISTORY = "_manifests";

    private ManifestFile() {}

    /** Writes {@code json} as {@code dir/_manifest.json} and {@code dir/_manifests/<runId>.json}, each atomically. */
    public static void write(FileSystem fs, Path dir, String runId, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        atomicWrite(fs, new Path(dir, NAME), bytes);
        atomicWrite(fs, new Path(new Path(dir, HISTORY), runId + ".json"), bytes);
    }

    static void atomicWrite(FileSystem fs, Path target, byte[] bytes) throws IOException {
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
        if ("file".equals(target.toUri().getScheme())) {
            var t = Paths.get(target.toUri());
            var l = Paths.get(tmp.toUri());
            Files.createDirectories(t.getParent());
            Files.write(l, bytes);
            Files.move(l, t, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        fs.mkdirs(target.getParent());
        try (OutputStream o = fs.create(tmp, true)) {
            o.write(bytes);
        }
        Configuration conf = fs.getConf();
        FileContext.getFileContext(target.toUri(), conf).rename(tmp, target, Options.Rename.OVERWRITE);
    }

    /** {@code dir/_manifest.json}, or null when there is none or it is not a JSON object. */
    public static JsonObject read(FileSystem fs, Path dir) {
        Path m = new Path(dir, NAME);
        try (InputStream in = fs.open(m)) {
            JsonElement e = JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return e.isJsonObject() ? e.getAsJsonObject() : null;
        } catch (FileNotFoundException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whether {@code manifest} is one vitex wrote (it has a run id and a status). */
    public static boolean isVitex(JsonObject manifest) {
        return manifest != null && manifest.has("run_id") && manifest.has("status");
    }

    public static String status(JsonObject manifest) {
        return manifest != null && manifest.has("status") ? manifest.get("status").getAsString() : null;
    }

    /**
     * One line about the folder's last run when it did not end (its manifest still says
     * {@code running}: the process was killed), or null.
     */
    public static String interrupted(JsonObject manifest, String folder) {
        if (!"running".equals(status(manifest))) {
            return null;
        }
        String done = "";
        JsonObject counts = manifest.has("counts") && manifest.get("counts").isJsonObject()
                ? manifest.getAsJsonObject("counts") : null;
        if (counts != null && counts.has("waves_committed")) {
            done = ", " + counts.get("waves_committed").getAsLong() + " wave(s) committed";
        }
        return "the last run into " + folder + " (run " + manifest.get("run_id").getAsString() + ", started "
                + (manifest.has("started_at") ? manifest.get("started_at").getAsString() : "?")
                + done + ") did not finish: its manifest still says running (killed?); --mode resume completes it";
    }
}
