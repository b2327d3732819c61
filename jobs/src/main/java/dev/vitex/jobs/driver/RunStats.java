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
 * engine_batch:SIZE} (1 for the model batch size the task ended with), {@code oom_retries}.
 */
public final class RunStats extends AccumulatorV2<RunStats.Tally, Map<Integer, Map<String, Double>>> {
    private static final long serialVersionUID = 1L;
    private final HashMap<Integer, Map<String, Double>> partitions = new HashMap<>();

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

    /** Sums over partitions. */
    public Map<String, Double> totals() {
        Map<String, Double> out = new TreeMap<>();
        for (Map<String, Double> p : value().values()) {
            p.forEach((k, v) -> out.merge(k, v, Double::sum));
        }
        return out;
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
