package dev.vitex.core.model;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * A limit on how many model batches run at once on one device. Tasks that share a GPU
 * ({@code spark.task.resource.gpu.amount} &lt; 1) share its model; without a limit each would add its
 * batch's activations to the GPU's memory at the same time. With a limit they take turns, in arrival
 * order (a fair semaphore: no task starves). {@link #UNLIMITED} lets every caller through (the CPU).
 */
public final class BatchGate {
    public static final BatchGate UNLIMITED = new BatchGate();
    private final Semaphore permits;
    private final int limit;

    private BatchGate() {
        this.permits = null;
        this.limit = 0;
    }

    /** At most {@code limit} ≥ 1 batches at once. */
    public static BatchGate of(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("a batch limit must be ≥ 1, got " + limit);
        }
        return new BatchGate(limit);
    }

    private BatchGate(int limit) {
        this.permits = new Semaphore(limit, true);
        this.limit = limit;
    }

    /** The limit, or 0 for unlimited. */
    public int limit() {
        return limit;
    }

    /** Runs one model batch when a permit is free; an interrupted wait (a killed task) ends the task. */
    public <T> T run(Supplier<T> batch) {
        if (permits == null) {
            return batch.get();
        }
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the device (task killed?)", e);
        }
        try {
            return batch.get();
        } finally {
            permits.release();
        }
    }

    @Override
    public String toString() {
        return permits == null ? "unlimited" : "at most " + limit + " batch(es) at once";
    }
}
