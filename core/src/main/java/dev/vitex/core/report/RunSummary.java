package dev.vitex.core.report;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the report header says about the run.
 *
 * @param runId the run's id
 * @param modelName the model card's name
 * @param methods the methods in column order (command-line names)
 * @param counts named counts in display order, e.g. "images read", "images explained",
 *     "images failed", "rows: saliency"
 * @param totalImages how many images have attributions in the Parquet output (the report may show fewer)
 * @param errors error rows to list (may be a bounded sample of all errors)
 * @param totalErrors how many error rows the run wrote in all
 */
public record RunSummary(String runId, String modelName, List<String> methods, Map<String, Long> counts,
                         long totalImages, List<ReportError> errors, long totalErrors) {

    public RunSummary {
        if (runId == null || modelName == null || methods == null) {
            throw new IllegalArgumentException("run summary needs run id, model name and methods");
        }
        methods = List.copyOf(methods);
        counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts == null ? Map.of() : counts));
        errors = List.copyOf(errors == null ? List.of() : errors);
        if (totalImages < 0 || totalErrors < errors.size()) {
            throw new IllegalArgumentException("totals must be ≥ 0 and at least the listed errors (" + errors.size()
                    + "), got images " + totalImages + ", errors " + totalErrors);
        }
    }

    /** A summary whose error list is complete (totalErrors = errors.size()). */
    public static RunSummary of(String runId, String modelName, List<String> methods, Map<String, Long> counts,
                                long totalImages, List<ReportError> errors) {
        return new RunSummary(runId, modelName, methods, counts, totalImages, errors, errors == null ? 0 : errors.size());
    }
}
