package dev.vitex.jobs.driver;

import java.io.Serializable;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.util.AccumulatorV2;

/**
 * Counts of a run, tallied by the tasks as they emit rows: per partition, so a partition computed
 * twice (a retried task, a cache block recomputed) replaces its tally instead of adding to it, and
 * the totals stay exact without another pass over the output.
 *
 * <p>Keys: {@code rows:METHOD}, {@code ms:METHOD} (task time), {@code errors:STAGE},
 * {@code method_errors:METHOD}, {@code images:STATUS} (explained | failed | done), {@code
 * engine_batch:SIZE} (1 for the model batch size the task ended with), {@code oom_retries}, and the
 * task's wall clock ({@value #TASK_START_MS}, {@value #TASK_END_MS}: epoch ms, not summed but spanned
 * by {@link #taskSpan}).
 */
public final class RunStats extends AccumulatorV2<RunStats.Tally, Map<Integer, Map<String, Double>>> {
    private static final long serialVersionUID = 1L;
    public static final String TASK_START_MS = "clock:task_start_ms";
    public static final String TASK_END_MS = "clock:task_end_ms";
    private static final String CLOCK = "clock:";
    private final HashMap<Integer, Map<String, Double>> partitions = new HashMap<>();

    /** When the first task of the run started and the last one ended (epoch ms), or null before any task ended. */
    public record Span(long firstStartMs, long lastEndMs) {
        public long millis() {
            return lastEndMs - firstStartMs;
        }
    }

    /** One partition's counts. */
    public record Tally(int partition, Map<String, Double> counts) implements Serializable {}

    @Override
    public boolean isZero() {
        return partitions.isEmpty();
    }

    @Override
    public AccumulatorV2<Tally, Map<Integer, Map<String, Double>>> copy() {
        RunStats c = new RunStats();
        synchronized (partitions) {
            c.partitions.putAll(partitions);
        }
        return c;
    }

    @Override
    public void reset() {
        synchronized (partitions) {
            partitions.clear();
        }
    }

    @Override
    public void add(Tally t) {
        synchronized (partitions) {
            partitions.put(t.partition(), Map.copyOf(t.counts()));
        }
    }

    @Override
    public void merge(AccumulatorV2<Tally, Map<Integer, Map<String, Double>>> other) {
        Map<Integer, Map<String, Double>> v = other.value();
        synchronized (partitions) {
            partitions.putAll(v);
        }
    }

    @Override
    public Map<Integer, Map<String, Double>> value() {
        synchronized (partitions) {
            return Collections.unmodifiableMap(new HashMap<>(partitions));
        }
    }

    /** Sums over partitions (the wall-clock entries are left out: see {@link #taskSpan}). */
    public Map<String, Double> totals() {
        Map<String, Double> out = new TreeMap<>();
        for (Map<String, Double> p : value().values()) {
            p.forEach((k, v) -> {
                if (!k.startsWith(CLOCK)) {
                    out.merge(k, v, Double::sum);
                }
            });
        }
        return out;
    }

    /** The span of the tasks of several accumulators (one per wave), or null when none recorded its clock. */
    public static Span taskSpan(List<RunStats> waves) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (RunStats w : waves) {
            for (Map<String, Double> p : w.value().values()) {
                Double start = p.get(TASK_START_MS);
                Double end = p.get(TASK_END_MS);
                if (start != null && end != null) {
                    first = Math.min(first, start.longValue());
                    last = Math.max(last, end.longValue());
                }
            }
        }
        return first == Long.MAX_VALUE ? null : new Span(first, last);
    }

    /** Sums over the partitions of several accumulators (one per wave: partition ids restart in each wave's job). */
    public static Map<String, Double> totals(List<RunStats> waves) {
        Map<String, Double> out = new TreeMap<>();
        for (RunStats w : waves) {
            w.totals().forEach((k, v) -> out.merge(k, v, Double::sum));
        }
        return out;
    }

    /** The entries of {@code totals} under {@code prefix:}, as longs, keyed by what follows the colon. */
    public static Map<String, Long> counts(Map<String, Double> totals, String prefix) {
        Map<String, Long> out = new TreeMap<>();
        totals.forEach((k, v) -> {
            if (k.startsWith(prefix + ":")) {
                out.put(k.substring(prefix.length() + 1), Math.round(v));
            }
        });
        return out;
    }

    public static Map<String, Double> values(Map<String, Double> totals, String prefix) {
        Map<String, Double> out = new TreeMap<>();
        totals.forEach((k, v) -> {
            if (k.startsWith(prefix + ":")) {
                out.put(k.substring(prefix.length() + 1), v);
            }
        });
        return out;
    }
}
