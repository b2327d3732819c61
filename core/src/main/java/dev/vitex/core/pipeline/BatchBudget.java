package dev.vitex.core.pipeline;

/**
 * The model batch size of one task: it starts at the configured {@code batch_size} and is halved (down
 * to 1) each time the engine runs out of memory, and the size that worked is kept for the rest of the
 * task. Not thread-safe (one per {@link GroupExplainer}).
 */
public final class BatchBudget {
    private final int configured;
    private int current;
    private int oomRetries;

    public BatchBudget(int configured) {
        if (configured < 1) {
            throw new IllegalArgumentException("batch_size must be ≥ 1, got " + configured);
        }
        this.configured = configured;
        this.current = configured;
    }

    /** Halves the batch after an out-of-memory; false when it is already 1 (nothing left to try). */
    public boolean halve() {
        if (current == 1) {
            return false;
        }
        current = Math.max(1, current / 2);
        oomRetries++;
        return true;
    }

    public int configured() {
        return configured;
    }

    /** The batch size in use; it only shrinks, so it is also the smallest used so far. */
    public int current() {
        return current;
    }

    /** How many times an out-of-memory made the batch smaller. */
    public int oomRetries() {
        return oomRetries;
    }

    /** A snapshot for reports. */
    public Usage usage() {
        return new Usage(configured, current, oomRetries);
    }

    /** What the budget did: configured size, the smallest used, out-of-memory retries. */
    public record Usage(int configured, int usedMin, int oomRetries) {}
}
