package dev.vitex.jobs.output;

import com.google.gson.JsonObject;
import dev.vitex.jobs.config.ConfigException;
import dev.vitex.jobs.config.JobConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An output folder held by one run, from before anything is written until the end: the lock taken,
 * what interrupted runs left settled (their staging areas, uncommitted waves, stale
 * {@code _temporary}), a folder whose last run was killed reported in one line, and the place this
 * run writes to chosen: the folder itself, or for an overwrite of a previous run a staging folder
 * beside it that {@link #commit} swaps in (see {@link OutputFolder}). {@link #close} releases the
 * lock, also after a failure.
 */
public final class GuardedOutput implements AutoCloseable {
    private final OutputFolder folder;
    private final OutputLock lock;
    private final String runId;
    private final boolean staged;
    private boolean swapped;

    private GuardedOutput(OutputFolder folder, OutputLock lock, String runId, boolean staged) {
        this.folder = folder;
        this.lock = lock;
        this.runId = runId;
        this.staged = staged;
    }

    /**
     * Takes {@code dir} (created when missing) for {@code runId}. Refused (one line) when another run
     * holds it. {@code log} gets the lines about earlier runs (interrupted, recovered, taken over).
     */
    public static GuardedOutput open(FileSystem fs, Path dir, String runId, JobConfig.Mode mode, Duration lockTimeout,
                                     Consumer<String> log) {
        try {
            fs.mkdirs(dir);
        } catch (IOException e) {
            throw new ConfigException("--output " + dir + " cannot be created: " + JobConfig.oneLine(e.getMessage()), e);
        }
        OutputLock lock = OutputLock.acquire(fs, dir, runId, lockTimeout, log);
        try {
            OutputFolder folder = new OutputFolder(fs, dir);
            JsonObject old = ManifestFile.read(fs, dir);
            String interrupted = ManifestFile.interrupted(old, dir.toString());
            if (interrupted != null) {
                log.accept(interrupted);
            }
            folder.recover(log);
            WaveCommitter.recover(fs, dir, log);
            int cleaned = OutputFolder.cleanTemporary(fs, dir);
            if (cleaned > 0) {
                log.accept("removed " + cleaned + " stale _temporary folder(s) of an interrupted run");
            }
            boolean staged = mode == JobConfig.Mode.OVERWRITE && ManifestFile.isVitex(old);
            GuardedOutput g = new GuardedOutput(folder, lock, runId, staged);
            if (staged) {
                fs.mkdirs(g.root());
            }
            return g;
        } catch (IOException | RuntimeException e) {
            lock.close();
            if (e instanceof ConfigException ce) {
                throw ce;
            }
            throw new ConfigException("--output " + dir + ": " + JobConfig.oneLine(e.getMessage()), e);
        }
    }

    /** Where this run writes its tables and manifest. */
    public Path root() {
        return staged && !swapped ? folder.staging(runId) : folder.path();
    }

    /** Whether this run is staged beside a previous run it replaces at the end. */
    public boolean staged() {
        return staged;
    }

    /** Writes this run's manifest atomically (into the staging folder while staged). */
    public void writeManifest(String json) throws IOException {
        ManifestFile.write(folder.fs(), root(), runId, json);
    }

    /** Makes a staged run the folder's content (then {@link #root} is the folder); nothing to do otherwise. */
    public void commit() throws IOException {
        if (staged && !swapped) {
            folder.swapIn(runId);
            swapped = true;
        }
    }

    @Override
    public void close() {
        lock.close();
    }
}
