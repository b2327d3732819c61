package dev.vitex.jobs.driver;

import dev.vitex.jobs.config.JobConfig;
import dev.vitex.jobs.localfs.LocalFiles;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;

/** The run's Spark session: the application's own when there is one, else one started with the run's settings. */
final class SparkStart {
    private static final Logger LOG = LoggerFactory.getLogger("vitex");
    /** Spark sessions this JVM started (tests check bad configurations never start one). */
    static final AtomicInteger STARTS = new AtomicInteger();

    /** A session and whether this run started it (then it stops it). */
    record Session(SparkSession spark, boolean own) {}

    private SparkStart() {}

    static Session session(JobConfig config, RunPlan p) {
        Option<SparkSession> existing = SparkSession.getActiveSession().isDefined()
                ? SparkSession.getActiveSession() : SparkSession.getDefaultSession();
        if (existing.isEmpty() || existing.get().sparkContext().isStopped()) {
            return new Session(start(config, p), true);
        }
        LOG.info("using the Spark session of this application ({}); --master and Spark properties of the run do not apply",
                existing.get().sparkContext().master());
        return new Session(existing.get(), false);
    }

    private static SparkSession start(JobConfig config, RunPlan p) {
        SparkSession.Builder b = SparkSession.builder().appName(config.appName);
        if (!config.master.isEmpty() || System.getProperty("spark.master") == null) {
            b = b.master(p.master());
        }
        for (Map.Entry<String, String> e : config.spark.entrySet()) {
            b = b.config(e.getKey(), e.getValue());
        }
        if (!config.spark.containsKey(LocalFiles.SPARK_IMPL_KEY) && System.getProperty(LocalFiles.SPARK_IMPL_KEY) == null) {
            // every task's Hadoop configuration: executors write Parquet without a chmod process per file
            b = b.config(LocalFiles.SPARK_IMPL_KEY, LocalFiles.implementation(p.hadoop()));
        }
        if (p.local()) {
            for (String k : List.of("spark.driver.host", "spark.driver.bindAddress")) {
                if (!config.spark.containsKey(k) && System.getProperty(k) == null) {
                    b = b.config(k, "127.0.0.1");
                }
            }
        }
        if (!p.local() && System.getProperty("spark.submit.deployMode") == null && !config.spark.containsKey("spark.jars")) {
            LOG.warn("master {} without spark-submit: executors only find vitex's classes if they are on their class path; "
                    + "submit the job jar with scripts/submit.sh or spark-submit instead", p.master());
        }
        STARTS.incrementAndGet();
        return b.getOrCreate();
    }
}
