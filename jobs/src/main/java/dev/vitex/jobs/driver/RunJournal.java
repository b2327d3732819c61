package dev.vitex.jobs.driver;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.vitex.jobs.output.GuardedOutput;
import dev.vitex.jobs.output.Redaction;
import dev.vitex.jobs.output.RunManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The manifest over a run's life: written with {@code status: running} before Spark starts (the
 * fingerprint, the plan, the redacted configuration and command line), rewritten atomically after
 * each wave with the counts so far, and at the end {@code succeeded} or {@code failed} with the
 * reason. A run killed by SIGKILL leaves it {@code running}. Writes are synchronized: the progress and
 * wave reports may come from different threads.
 */
public final class RunJournal {
    private static final Logger LOG = LoggerFactory.getLogger("vitex");
    private final GuardedOutput output;
    private final RunManifest manifest;
    private final Redaction redaction;
    private final JsonArray notes = new JsonArray();

    public RunJournal(GuardedOutput output, RunManifest manifest, Redaction redaction, List<String> command) {
        this.output = output;
        this.manifest = manifest;
        this.redaction = redaction;
        JsonArray cmd = new JsonArray();
        redaction.command(command).forEach(cmd::add);
        manifest.put("command", cmd);
        manifest.put("notes", notes);
    }

    public RunManifest manifest() {
        return manifest;
    }

    /** A line about earlier runs of the folder (interrupted, taken over, recovered), kept in {@code notes}. */
    public void note(String line) {
        notes.add(line);
    }

    /** The resolved configuration, redacted. */
    public RunJournal config(JsonElement config) {
        manifest.put("config", redaction.json(config));
        return this;
    }

    public RunJournal put(String key, JsonElement value) {
        manifest.put(key, value);
        return this;
    }

    /** Writes the manifest as it is now; a failure to write fails the run (nothing could be resumed). */
    public synchronized void write() {
        try {
            output.writeManifest(manifest.json());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the manifest into " + output.root() + ": " + e.getMessage(), e);
        }
    }

    /** The run's waves, before the first starts. */
    public void plan(WavePlan plan, long imagesAlreadyDone) {
        JsonObject o = new JsonObject();
        o.addProperty("images", plan.images());
        o.addProperty("images_already_done", imagesAlreadyDone);
        o.addProperty("partitions", plan.partitions());
        o.addProperty("waves", plan.waves());
        o.addProperty("partitions_per_wave", plan.partitionsPerWave());
        manifest.put("plan", o);
        write();
    }

    /** After wave {@code k} of {@code waves}: the counts so far. */
    public synchronized void waveCommitted(int k, int waves, long read, long explained, long failed, long alreadyDone) {
        JsonObject c = new JsonObject();
        c.addProperty("images_read", read);
        c.addProperty("images_explained", explained);
        c.addProperty("images_failed", failed);
        c.addProperty("images_already_done", alreadyDone);
        c.addProperty("waves_committed", k + 1);
        c.addProperty("waves", waves);
        manifest.put("counts", c);
        write();
    }

    /**
     * What the finished run records (the configuration redacted again), with its plan, the waves
     * committed, and why the report is missing (null when it is not).
     */
    public void record(RunManifest.Contents contents, WavePlan plan, String reportMissing) {
        manifest.record(contents);
        manifest.put("config", redaction.json(manifest.root().get("config")));
        JsonObject counts = manifest.root().getAsJsonObject("counts");
        counts.addProperty("waves", plan.waves());
        counts.addProperty("waves_committed", plan.waves());
        if (reportMissing != null) {
            JsonObject report = new JsonObject();
            report.addProperty("missing", reportMissing);
            manifest.put("report", report);
        }
    }

    /** The end: {@code failed} with {@code reason}, or {@code succeeded} when it is null. Never throws. */
    public void finish(String reason) {
        if (reason != null) {
            manifest.root().addProperty("failure", reason);
        }
        manifest.finish(reason == null ? "succeeded" : "failed");
        try {
            output.writeManifest(manifest.json());
        } catch (IOException | RuntimeException e) {
            LOG.error("cannot write the final manifest into {}: {}", output.root(), e.getMessage());
        }
    }
}
