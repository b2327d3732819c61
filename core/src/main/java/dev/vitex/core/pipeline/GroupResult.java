package dev.vitex.core.pipeline;

import java.util.List;
import java.util.Map;

/**
 * What a group produced: every outcome in the order they arose (reading and preprocessing errors,
 * target-selection errors — or, when a method picks the targets in its own pass, that method's
 * attributions and errors — then each other method's attributions and errors, then one {@link
 * ImageOutcome.Finished} per image), and the cost of the quality metrics.
 *
 * @param metricPasses model passes spent on deletion/insertion curves
 * @param metricMs milliseconds spent on the metrics, per method
 */
public record GroupResult(List<ImageOutcome> outcomes, long metricPasses, Map<String, Double> metricMs) {
    public GroupResult {
        outcomes = List.copyOf(outcomes);
        metricMs = Map.copyOf(metricMs);
    }
}
