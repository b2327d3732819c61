package dev.vitex.jobs.output;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.vitex.jobs.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One writer per output folder: {@code <output>/_vitex.lock}, created exclusively (on the local file
 * system with {@code O_EXCL}, elsewhere with Hadoop's {@code create(path, overwrite = false)}), holding
 * the run id, host, pid, start time and a heartbeat that a daemon thread refreshes. A second run is
 * refused at once with one line naming the holder. A lock is stale, and taken over with a warning,
 * when its heartbeat is older than the timeout, or at once when its holder was a process of this host
 * that no longer exists (a run killed here is resumed without waiting). Released by {@link #close}.
 */
public final class OutputLock implements AutoCloseable {
    public static final String NAME = "_vitex.lock";

    /** Who holds a lock, as written in the file. */
    public record Holder(String runId, String host, long pid, Instant started, Instant heartbeat) {
        String json() {
            JsonObject o = new JsonObject();
            o.addProperty("run_id", runId);
            o.addProperty("host", host);
            o.addProperty("pid", pid);
            o.addProperty("started_at", started.toString());
            o.addProperty("heartbeat_at", heartbeat.toString());
            return o.toString();
        }

        static Holder parse(String json) {
            JsonObject o = JsonParser.parseString(json).getAsJsonObject();
            return new Holder(o.get("run_id").getAsString(), o.get("host").getAsString(), o.get("pid").getAsLong(),
                    Instant.parse(o.get("started_at").getAsString()), Instant.parse(o.get("heartbeat_at").getAsString()));
        }

        Holder beat(Instant now) {
            return new Holder(runId, host, pid, started, now);
        }

        String describe(Instant now) {
            return "run " + runId + " (host " + host + ", pid " + pid + ", started " + started + ", last heartbeat "
                    + Duration.between(heartbeat, now).toSeconds() + " s ago)";
        }
    }

    private final FileSystem fs;
    private final Path file;
    private final Consumer<String> warn;
    private volatile Holder holder;
    private final Thread heartbeat;
    private volatile boolean closed;

    private OutputLock(FileSystem fs, Path file, Holder holder, Duration every, Consumer<String> warn) {
        this.fs = fs;
        this.file = file;
        this.holder = holder;
        this.warn = warn;
        this.heartbeat = new Thread(() -> beatUntilClosed(every), "vitex-lock-heartbeat");
        heartbeat.setDaemon(true);
        heartbeat.start();
    }

    public Holder holder() {
        return holder;
    }

    public Path path() {
        return file;
    }

    /**
     * Takes the lock of {@code dir} (which must exist) for {@code runId}, or throws a
     * {@link ConfigException} naming the holder. {@code timeout} is the age of a heartbeat after
     * which a lock counts as abandoned; the heartbeat is refreshed every quarter of it (at most 30 s).
     */
    public static OutputLock acquire(FileSystem fs, Path dir, String runId, Duration timeout, Consumer<String> warn) {
        Path file = new Path(dir, NAME);
        Instant now = Instant.now();
        Holder me = new Holder(runId, host(), ProcessHandle.current().pid(), now, now);
        Duration every = Duration.ofMillis(Math.max(200, Math.min(30_000, timeout.toMillis() / 4)));
        for (int attempt = 0; attempt < 3; attempt++) {
            if (createExclusive(fs, file, me.json())) {
                return new OutputLock(fs, file, me, every, warn);
            }
            Holder other = read(fs, file);
            if (other == null) {
                continue; // released (or half written) in between: try again
            }
            String why = staleReason(other, Instant.now(), timeout);
            if (why == null) {
                throw new ConfigException("--output " + dir + " is in use by " + other.describe(Instant.now())
                        + "; one run per folder (a lock older than " + timeout.toSeconds() + " s without heartbeat is taken over; "
                        + "lock_timeout_s)");
            }
            // Moving the stale file aside is atomic: of two runs taking over at once, only one succeeds.
            Path aside = new Path(dir, NAME + ".stale-" + runId);
            if (rename(fs, file, aside)) {
                Holder moved = read(fs, aside);
                if (moved != null && !moved.equals(other)) {
                    rename(fs, aside, file); // another run took it over first: give its fresh lock back
                    throw new ConfigException("--output " + dir + " is in use by " + moved.describe(Instant.now())
                            + "; one run per folder");
                }
                warn.accept("taking over the lock of " + dir + " from " + other.describe(Instant.now()) + ": " + why);
                delete(fs, aside);
            }
        }
        Holder other = read(fs, file);
        throw new ConfigException("--output " + dir + " is in use by "
                + (other == null ? "another run" : other.describe(Instant.now())) + "; one run per folder");
    }

    /** Why {@code h} no longer holds its lock, or null when it does. */
    static String staleReason(Holder h, Instant now, Duration timeout) {
        Duration age = Duration.between(h.heartbeat(), now);
        if (age.compareTo(timeout) > 0) {
            return "no heartbeat for " + age.toSeconds() + " s (lock_timeout_s = " + timeout.toSeconds() + ")";
        }
        if (h.host().equals(host()) && h.pid() != ProcessHandle.current().pid() && ProcessHandle.of(h.pid())
                .map(ph -> !ph.isAlive()).orElse(true)) {
            return "its process " + h.pid() + " on this host is gone";
        }
        return null;
    }

    /** The holder of {@code dir}'s lock, or null when there is none (or it is unreadable). */
    public static Holder holderOf(FileSystem fs, Path dir) {
        return read(fs, new Path(dir, NAME));
    }

    private void beatUntilClosed(Duration every) {
        while (!closed) {
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            if (closed) {
                return;
            }
            Holder now = read(fs, file);
            if (now == null || !now.runId().equals(holder.runId())) {
                warn.accept("the lock " + file + " is no longer this run's (" + (now == null ? "removed"
                        : "taken over by run " + now.runId()) + "); another run may be writing into the folder");
                return;
            }
            holder = holder.beat(Instant.now());
            try {
                replace(fs, file, holder.json());
            } catch (IOException e) {
                warn.accept("cannot refresh the lock " + file + ": " + e.getMessage());
            }
        }
    }

    /** Stops the heartbeat and removes the lock when it is still this run's. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        heartbeat.interrupt();
        try {
            heartbeat.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Holder now = read(fs, file);
        if (now != null && now.runId().equals(holder.runId())) {
            delete(fs, file);
        }
    }

    // ---- file operations: java.nio on the local file system (exclusive, no .crc files), Hadoop elsewhere

    /** The local file of a {@code file:} path (java.nio's Path: Hadoop's has the same name), else null. */
    private static java.nio.file.Path local(Path p) {
        return "file".equals(p.toUri().getScheme()) ? Paths.get(p.toUri()) : null;
    }

    private static boolean createExclusive(FileSystem fs, Path file, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        var l = local(file);
        try {
            if (l != null) {
                // CREATE_NEW is open(O_CREAT | O_EXCL): exactly one of two racing processes creates the file.
                Files.write(l, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return true;
            }
            try (OutputStream o = fs.create(file, false)) {
                o.write(bytes);
            }
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            if (exists(fs, file)) {
                return false; // Hadoop: its FileAlreadyExistsException, or another IOException for an existing file
            }
            throw new ConfigException("cannot create the lock " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes the heartbeat: temp file + atomic rename locally, so a reader never sees half a file. */
    private static void replace(FileSystem fs, Path file, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        var l = local(file);
        if (l != null) {
            var tmp = l.resolveSibling(l.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            Files.write(tmp, bytes);
            Files.move(tmp, l, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return;
        }
        try (OutputStream o = fs.create(file, true)) {
            o.write(bytes);
        }
    }

    private static Holder read(FileSystem fs, Path file) {
        try {
            var l = local(file);
            String text;
            if (l != null) {
                text = Files.readString(l);
            } else {
                try (InputStream in = fs.open(file)) {
                    text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            return Holder.parse(text);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean rename(FileSystem fs, Path from, Path to) {
        try {
            var l = local(from);
            if (l != null) {
                Files.move(l, local(to), StandardCopyOption.ATOMIC_MOVE);
                return true;
            }
            return fs.rename(from, to);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static void delete(FileSystem fs, Path file) {
        try {
            var l = local(file);
            if (l != null) {
                Files.deleteIfExists(l);
            } else {
                fs.delete(file, false);
            }
        } catch (IOException e) {
            // a leftover lock is taken over later: its heartbeat stops
        }
    }

    private static boolean exists(FileSystem fs, Path file) {
        try {
            return fs.exists(file);
        } catch (IOException e) {
            return false;
        }
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
