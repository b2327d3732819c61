package dev.vitex.jobs.driver;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The run's counts, summed over its partitions ({@link RunStats}): rows and task time per method
 * (every method of the run listed, 0 when it produced nothing), errors by stage and by method,
 * images by status, the metrics' cost, and the model batch sizes the tasks ended with after any
 * out-of-memory back-off.
 */
record RunTotals(Map<String, Long> rows, Map<String, Double> methodMs, Map<String, Long> errors,
                 Map<String, Long> methodErrors, Map<String, Long> status, long metricPasses, Map<String, Double> metricMs,
                 Map<Integer, Long> tasksByBatchSize, long oomRetries) {

    static RunTotals of(Map<String, Double> totals, List<String> methods) {
        Map<String, Long> rows = new TreeMap<>();
        Map<String, Double> methodMs = new TreeMap<>();
        for (String m : methods) {
            rows.put(m, 0L);
            methodMs.put(m, 0.0);
        }
        rows.putAll(RunStats.counts(totals, "rows"));
        methodMs.putAll(RunStats.values(totals, "ms"));
        return new RunTotals(rows, methodMs, RunStats.counts(totals, "errors"), RunStats.counts(totals, "method_errors"),
                RunStats.counts(totals, "images"), Math.round(totals.getOrDefault("metric_passes", 0.0)),
                RunStats.values(totals, "metric_ms"), batchSizes(totals), Math.round(totals.getOrDefault("oom_retries", 0.0)));
    }

    /** Tasks by the model batch size they ended with (smallest first). */
    private static Map<Integer, Long> batchSizes(Map<String, Double> totals) {
        Map<Integer, Long> out = new TreeMap<>();
        RunStats.counts(totals, "engine_batch").forEach((size, tasks) -> out.put(Integer.parseInt(size), tasks));
        return out;
    }

    long read() {
        return status.values().stream().mapToLong(Long::longValue).sum();
    }

    long explained() {
        return status.getOrDefault("explained", 0L);
    }

    long failed() {
        return status.getOrDefault("failed", 0L);
    }

    /** Images with nothing left to do (resume). */
    long done() {
        return status.getOrDefault("done", 0L);
    }

    long errorRows() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    long attributionRows() {
        return rows.values().stream().mapToLong(Long::longValue).sum();
    }
}
