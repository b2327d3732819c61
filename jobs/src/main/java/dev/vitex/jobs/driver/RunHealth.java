package dev.vitex.jobs.driver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.desc;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Whether a finished run is sick: more than {@code max_failed_fraction} of the images read became
 * errors, or a method produced no row while it failed on images. A sick run writes everything it has
 * and then exits 1 with {@link #verdict}'s line, never 0.
 */
public final class RunHealth {
    private RunHealth() {}

    /**
     * The reason the run failed, or null when it is healthy.
     *
     * @param rowsPerMethod attribution rows per method of this run
     * @param methodErrors error rows per method of this run (stage method)
     * @param mostFrequentError the most frequent error of this run ("N×: stage …: message"), or null
     */
    public static String verdict(long imagesRead, long imagesFailed, Map<String, Long> rowsPerMethod,
                                 Map<String, Long> methodErrors, double maxFailedFraction, String mostFrequentError) {
        String why = null;
        if (imagesRead > 0 && imagesFailed > maxFailedFraction * imagesRead) {
            why = String.format(Locale.ROOT, "%d of %d image(s) failed (%.0f%%, more than max_failed_fraction = %s)",
                    imagesFailed, imagesRead, 100.0 * imagesFailed / imagesRead, maxFailedFraction);
        } else {
            for (Map.Entry<String, Long> e : methodErrors.entrySet()) {
                if (e.getValue() > 0 && rowsPerMethod.getOrDefault(e.getKey(), 0L) == 0) {
                    why = "method " + e.getKey() + " failed on every image (" + e.getValue() + " error(s), no row)";
                    break;
                }
            }
        }
        if (why == null) {
            return null;
        }
        return why + (mostFrequentError == null ? "" : "; most frequent error: " + mostFrequentError);
    }

    /** "N×: stage[/method] ErrorClass: message" of the most frequent error row of run {@code runId}, or null. */
    public static String mostFrequentError(SparkSession spark, String errorsTable, String runId) {
        List<Row> top;
        try {
            top = spark.read().parquet(errorsTable).filter(col("run_id").equalTo(runId))
                    .groupBy("stage", "method", "error_class", "message").count()
                    .orderBy(desc("count")).limit(1).collectAsList();
        } catch (RuntimeException e) {
            return null; // no errors table (no error rows at all)
        }
        if (top.isEmpty()) {
            return null;
        }
        Row r = top.get(0);
        return r.getLong(4) + "×: " + r.getString(0) + (r.isNullAt(1) ? "" : "/" + r.getString(1)) + " " + r.getString(2)
                + ": " + r.getString(3);
    }
}
