package dev.vitex.jobs.driver;

import dev.vitex.jobs.output.WaveCommitter.Committed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Commits waves one at a time, in order, on one background thread, so that a wave's commit (moving the
 * files its tasks wrote into both tables) overlaps the next wave's model work instead
 * of leaving the task slots idle between waves. At most one commit is in flight: {@link #submit} first
 * waits for the previous one. Each wave is reported ({@link Waves.AfterWave}: the journal's counts) on
 * the commit thread as soon as it is committed, in wave order. A kill loses at most the wave being
 * committed and the one being computed; the committer's {@code _READY} marker still decides which of
 * them the next run finishes.
 */
final class CommitLane implements AutoCloseable {
    private final Waves.AfterWave after;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vitex-commit");
        t.setDaemon(true);
        return t;
    });
    private Future<?> pending;
    private int pendingWave = -1;

    CommitLane(Waves.AfterWave after) {
        this.after = after;
    }

    /** Waits for the commit in flight (and reports it), then starts committing {@code wave}. */
    void submit(int wave, Callable<Committed> commit) throws IOException {
        awaitPending();
        pending = thread.submit(() -> {
            after.committed(wave, commit.call());
            return null;
        });
        pendingWave = wave;
    }

    /** Waits for the commit in flight, if any; its failure (or its report's) is thrown here. */
    void awaitPending() throws IOException {
        if (pending == null) {
            return;
        }
        Future<?> f = pending;
        pending = null;
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while wave " + (pendingWave + 1) + " was being committed", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IOException(cause);
        }
    }

    /** Finishes the commit in flight (a wave already computed is still committed when a later one failed). */
    @Override
    public void close() throws IOException {
        try {
            awaitPending();
        } finally {
            thread.shutdown();
        }
    }
}
