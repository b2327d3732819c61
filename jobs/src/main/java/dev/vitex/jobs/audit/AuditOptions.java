package dev.vitex.jobs.audit;

import dev.vitex.jobs.config.ConfigException;
import java.util.List;

/**
 * What {@code vitex audit} does (docs/audit.md): the run to read, the folder to write, the methods (empty = all),
 * the per-class sample bound of the clustering, the largest number of clusters, the seed and whether to write
 * {@code index.html}.
 */
public record AuditOptions(String run, String output, List<String> methods, int maxSample, int maxClusters, long seed,
                           boolean report) {
    /**
     * Default per-class sample bound: the dense eigendecomposition is O(n³) time and O(n²) memory on the driver
     * (1,000 maps: seconds; 2,000 maps took 100 s on a loaded 2-core machine).
     */
    public static final int DEFAULT_MAX_SAMPLE = 1000;
    /** Default largest number of clusters per class. */
    public static final int DEFAULT_MAX_CLUSTERS = 8;

    public AuditOptions {
        if (run == null || run.isBlank()) {
            throw new ConfigException("audit: --run RUN_DIR is required");
        }
        if (output == null || output.isBlank()) {
            throw new ConfigException("audit: --output AUDIT_DIR is required");
        }
        if (maxSample < 10 || maxSample > 20000) {
            throw new ConfigException("audit: --max-sample must be within 10..20000, got " + maxSample);
        }
        if (maxClusters < 1 || maxClusters > 32) {
            throw new ConfigException("audit: --max-clusters must be within 1..32, got " + maxClusters);
        }
        methods = List.copyOf(methods);
    }

    /** The defaults for {@code run} → {@code output}: every method, no page. */
    public static AuditOptions of(String run, String output) {
        return new AuditOptions(run, output, List.of(), DEFAULT_MAX_SAMPLE, DEFAULT_MAX_CLUSTERS, 0L, false);
    }

    public AuditOptions withReport(boolean value) {
        return new AuditOptions(run, output, methods, maxSample, maxClusters, seed, value);
    }

    public AuditOptions withMethods(List<String> value) {
        return new AuditOptions(run, output, value, maxSample, maxClusters, seed, report);
    }
}
