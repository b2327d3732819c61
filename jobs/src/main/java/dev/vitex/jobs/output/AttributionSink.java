package dev.vitex.jobs.output;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.vitex.jobs.config.ConfigException;
import dev.vitex.jobs.config.JobConfig;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The output folder: {@code attributions/} (Parquet, partitioned by {@code method}, wide or long
 * layout), {@code errors/} (Parquet), {@code _manifest.json} (this run) and
 * {@code _manifests/<run id>.json} (every run that wrote into the folder).
 *
 * <p>Write modes: {@code overwrite} replaces the folder (refused when it exists, is not empty and holds
 * no vitex manifest; a previous run is replaced only when the new one has finished, see
 * {@link GuardedOutput}); {@code append} adds rows; {@code resume} adds only the image × method ×
 * target rows that are missing, and is refused when the folder was written with another model, input
 * root, targets, granularity, inference mode, layout or method parameters (the rows would not be
 * comparable). Rows are committed wave by wave ({@link WaveCommitter}).
 */
public final class AttributionSink {
    public static final String ATTRIBUTIONS = "attributions";
    public static final String ERRORS = "errors";
    public static final String MANIFEST = "_manifest.json";
    public static final String MANIFESTS = "_manifests";

    private final Path out;
    private final FileSystem fs;
    private final JobConfig.Mode mode;
    private final JobConfig.Layout layout;
    private final boolean previous;

    private AttributionSink(Path out, FileSystem fs, JobConfig.Mode mode, JobConfig.Layout layout, boolean previous) {
        this.out = out;
        this.fs = fs;
        this.mode = mode;
        this.layout = layout;
        this.previous = previous;
    }

    public Path path() {
        return out;
    }

    public String uri() {
        return out.toString();
    }

    /** Whether there is earlier output to append to or resume from. */
    public boolean hasPrevious() {
        return previous;
    }

    /**
     * Checks the output before Spark starts: a usable path, writable (a probe file is created and
     * removed), and compatible with the mode. {@code fingerprint} is this run's comparable settings
     * (see {@link RunManifest#fingerprint}), checked against the folder's manifest on resume.
     */
    public static AttributionSink open(JobConfig config, Configuration hadoop, JsonObject fingerprint) {
        if (config.output.isEmpty()) {
            throw new ConfigException("no output: give --output DIR");
        }
        Path path = new Path(config.output);
        FileSystem fs;
        try {
            fs = path.getFileSystem(hadoop);
            path = fs.makeQualified(path);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("--output " + config.output + ": " + JobConfig.oneLine(e.getMessage()), e);
        }
        boolean previous = false;
        try {
            FileStatus st = null;
            try {
                st = fs.getFileStatus(path);
            } catch (FileNotFoundException e) {
                // fine: created below
            }
            if (st != null && !st.isDirectory()) {
                throw new ConfigException("--output " + config.output + " is a file, not a folder");
            }
            if (st != null) {
                OutputFolder folder = new OutputFolder(fs, path);
                boolean vitex = folder.hasVitexOutput();
                List<String> foreign = folder.foreignChildren();
                if (!vitex && !foreign.isEmpty()) {
                    throw new ConfigException("--output " + config.output + " exists, is not empty (" + foreign.get(0)
                            + (foreign.size() > 1 ? ", …" : "") + ") and holds no vitex output (no " + MANIFEST
                            + " written by vitex); choose another folder");
                }
                previous = vitex;
                if (vitex && config.mode == JobConfig.Mode.RESUME) {
                    checkResumable(fs, path, config, fingerprint);
                }
                if (vitex && config.mode == JobConfig.Mode.APPEND) {
                    JsonObject old = readManifest(fs, path);
                    if (old != null && old.has("output") && old.getAsJsonObject("output").has("layout")
                            && !old.getAsJsonObject("output").get("layout").getAsString().equalsIgnoreCase(config.layout.name())) {
                        throw new ConfigException("--mode append: " + config.output + " holds the "
                                + old.getAsJsonObject("output").get("layout").getAsString() + " layout, this run writes "
                                + config.layout.name().toLowerCase() + " (--layout must match)");
                    }
                }
            }
            probe(fs, path, config.output);
        } catch (IOException e) {
            throw new ConfigException("--output " + config.output + ": " + JobConfig.oneLine(e.getMessage()), e);
        }
        return new AttributionSink(path, fs, config.mode, config.layout, previous);
    }

    private static void probe(FileSystem fs, Path path, String given) {
        Path probe = new Path(path, "_vitex_write_probe_" + UUID.randomUUID());
        try {
            if (!fs.mkdirs(path)) {
                throw new ConfigException("--output " + given + " cannot be created");
            }
            try (OutputStream o = fs.create(probe, false)) {
                o.write('x');
            }
            fs.delete(probe, false);
        } catch (IOException | RuntimeException e) {
            if (e instanceof ConfigException ce) {
                throw ce;
            }
            throw new ConfigException("--output " + given + " is not writable: " + JobConfig.oneLine(e.getMessage()), e);
        }
    }

    private static final JsonElement FP32 = new JsonPrimitive("fp32");

    private static void checkResumable(FileSystem fs, Path path, JobConfig config, JsonObject fingerprint) throws IOException {
        JsonObject old = readManifest(fs, path);
        if (old == null || !old.has("fingerprint")) {
            throw new ConfigException("--mode resume: " + config.output + " has no readable " + MANIFEST
                    + " (an interrupted first run?); use --mode overwrite to start again");
        }
        JsonObject was = old.getAsJsonObject("fingerprint");
        // precision first: another precision also means another TorchScript file (model_sha256)
        for (String key : List.of("precision", "model_sha256", "input_root", "targets", "granularity", "inference_mode", "layout")) {
            JsonElement a = was.get(key) == null && key.equals("precision") ? FP32 : was.get(key); // older folders: fp32
            JsonElement b = fingerprint.get(key);
            if (!Objects.equals(a, b) && !(a == null && key.equals("input_root"))) { // folders of older versions lack it
                throw new ConfigException("--mode resume: " + config.output + " was written with " + key + " = " + a
                        + ", this run has " + b + "; use another --output or --mode overwrite");
            }
        }
        JsonObject oldParams = was.getAsJsonObject("params");
        JsonObject newParams = fingerprint.getAsJsonObject("params");
        for (String m : newParams.keySet()) {
            if (oldParams != null && oldParams.has(m) && !oldParams.get(m).equals(newParams.get(m))) {
                throw new ConfigException("--mode resume: " + config.output + " has " + m + " rows with params "
                        + oldParams.get(m).getAsString() + ", this run has " + newParams.get(m).getAsString()
                        + "; use another --output or --mode overwrite");
            }
        }
    }

    static JsonObject readManifest(FileSystem fs, Path dir) {
        return ManifestFile.read(fs, dir);
    }

    // ---- writing: waves (WaveCommitter) into the root a GuardedOutput chose -------------------------

    /** This sink writing into {@code root} (the folder, or the staging folder of an overwrite). */
    public AttributionSink rooted(Path root) {
        return new AttributionSink(root, fs, mode, layout, previous);
    }

    public FileSystem fs() {
        return fs;
    }

    /** Whether {@code <output>/<table>} exists. */
    public boolean hasTable(String table) {
        try {
            return fs.exists(new Path(out, table));
        } catch (IOException e) {
            return false;
        }
    }

    /** The output folder as a local path, or null when it is not on the local file system. */
    public java.nio.file.Path localPath() {
        return "file".equals(out.toUri().getScheme()) ? java.nio.file.Path.of(out.toUri()) : null;
    }

    /** Copies a local folder to {@code <output>/<name>}, replacing what was there. */
    public void upload(java.nio.file.Path dir, String name) {
        Path target = new Path(out, name);
        try {
            fs.delete(target, true);
            fs.copyFromLocalFile(false, true, new Path(dir.toUri()), target);
        } catch (IOException e) {
            throw new IllegalStateException("cannot copy " + dir + " to " + target + ": " + e.getMessage(), e);
        }
    }

    /** Local path of the output when it is on the local file system (for messages), else the URI. */
    public String display() {
        return "file".equals(out.toUri().getScheme()) ? out.toUri().getPath() : out.toString();
    }
}
