package dev.vitex.jobs.audit;

import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session of an audit or comparison: the application's own when there is one (spark-submit, a
 * notebook, {@code run --audit}), else a new one on {@code master} (default {@code local[*]}, bound to the
 * loopback address) that is stopped afterwards.
 */
final class AuditSpark {
    private AuditSpark() {}

    static <T> T with(String master, Function<SparkSession, T> work) {
        SparkSession existing = SparkSession.getActiveSession().isDefined() ? SparkSession.getActiveSession().get()
                : SparkSession.getDefaultSession().isDefined() ? SparkSession.getDefaultSession().get() : null;
        if (existing != null && !existing.sparkContext().isStopped()) {
            return work.apply(existing);
        }
        String m = master == null || master.isBlank() ? System.getProperty("spark.master", "local[*]") : master;
        SparkSession.Builder b = SparkSession.builder().appName("vitex-audit").master(m)
                .config("spark.sql.shuffle.partitions", m.startsWith("local") ? "8" : "200");
        if (m.startsWith("local")) {
            b = b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.ui.enabled", "false");
        }
        SparkSession spark = b.getOrCreate();
        try {
            return work.apply(spark);
        } finally {
            spark.stop();
        }
    }
}
