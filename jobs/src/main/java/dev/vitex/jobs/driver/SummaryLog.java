package dev.vitex.jobs.driver;

import dev.vitex.jobs.config.JobConfig;
import dev.vitex.jobs.output.AttributionSink;
import java.util.Locale;
import java.util.Map;

/** The run's closing log lines: images, rows and task time per method, errors by stage, where the output is. */
final class SummaryLog {
    private SummaryLog() {}

    static String text(String runId, AttributionSink sink, JobConfig config, RunTotals totals, double seconds) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "run %s finished in %s: %d image(s) read, %d explained, %d failed",
                runId, Progress.duration(seconds), totals.read(), totals.explained(), totals.failed()));
        b.append(String.format(Locale.ROOT, "%n  %-22s %8s %12s %9s", "method", "rows", "task time", "ms/row"));
        for (String m : config.methods) {
            long n = totals.rows().getOrDefault(m, 0L);
            double ms = totals.methodMs().getOrDefault(m, 0.0);
            b.append(String.format(Locale.ROOT, "%n  %-22s %8d %11.1fs %9.2f", m, n, ms / 1000, n == 0 ? 0 : ms / n));
        }
        Map<String, Long> errors = totals.errors();
        b.append("\n  errors by stage: ").append(errors.isEmpty() ? "none" : errors.toString().replaceAll("[{}]", ""));
        b.append(String.format(Locale.ROOT, "%n  output: %s — attributions/ (%d rows, %s layout), errors/ (%d rows), %s",
                sink.display(), totals.attributionRows(), config.layout.name().toLowerCase(Locale.ROOT), totals.errorRows(),
                AttributionSink.MANIFEST));
        return b.toString();
    }
}
