package dev.vitex.core.pipeline;

import dev.vitex.core.grid.Granularity;
import dev.vitex.core.image.DecodeOptions;
import dev.vitex.core.model.InferenceMode;
import dev.vitex.core.model.TargetRule;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a {@link GroupExplainer} explains: the methods in run order with their raw parameters, how
 * scores are read, the model batch, the output granularity, the run seed, the targets, the quality
 * metrics (deletion, insertion; empty for none) and the decoding caps and orientation policy.
 */
public record PipelineOptions(Map<String, Map<String, String>> methods, InferenceMode inferenceMode, int batchSize,
                              Granularity granularity, long seed, TargetRule targets, List<String> metrics,
                              DecodeOptions decode) {

    public PipelineOptions {
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("no methods to run");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch_size must be ≥ 1, got " + batchSize);
        }
        for (String m : metrics) {
            if (!m.equals("deletion") && !m.equals("insertion")) {
                throw new IllegalArgumentException("unknown metric \"" + m + "\" (known: deletion, insertion)");
            }
        }
        methods = Collections.unmodifiableMap(new LinkedHashMap<>(methods));
        metrics = List.copyOf(metrics);
    }

    /** The methods in run order, each with its parameters ({@code params} may lack some: they get none). */
    public static Map<String, Map<String, String>> methods(List<String> names, Map<String, Map<String, String>> params) {
        Map<String, Map<String, String>> m = new LinkedHashMap<>();
        for (String n : names) {
            m.put(n, params.getOrDefault(n, Map.of()));
        }
        return m;
    }

    public boolean deletion() {
        return metrics.contains("deletion");
    }

    public boolean insertion() {
        return metrics.contains("insertion");
    }
}
