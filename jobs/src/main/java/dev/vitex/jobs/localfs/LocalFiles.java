package dev.vitex.jobs.localfs;

import org.apache.hadoop.conf.Configuration;

/**
 * Names {@link NoForkLocalFileSystem} for {@code file:} in the job's Hadoop configurations, unless the
 * user (core-site.xml, {@code --conf spark.hadoop.fs.file.impl=…}) named another. Hadoop caches file
 * systems per scheme, authority and user, not per configuration: the first {@code FileSystem.get} for
 * {@code file:} in a JVM decides, so the driver configures it before it touches any file.
 */
public final class LocalFiles {
    /** Hadoop's key for the class of the {@code file:} file system. */
    public static final String IMPL_KEY = "fs.file.impl";
    /** The same key as a Spark property (copied into every task's Hadoop configuration). */
    public static final String SPARK_IMPL_KEY = "spark.hadoop." + IMPL_KEY;

    private LocalFiles() {}

    /** {@code conf}, with {@code fs.file.impl} set to {@link NoForkLocalFileSystem} where it was unset. */
    public static Configuration configure(Configuration conf) {
        if (conf.get(IMPL_KEY) == null) {
            conf.set(IMPL_KEY, NoForkLocalFileSystem.class.getName());
        }
        return conf;
    }

    /** The class name to give {@code spark.hadoop.fs.file.impl}: the one {@code conf} names after {@link #configure}. */
    public static String implementation(Configuration conf) {
        return configure(conf).get(IMPL_KEY);
    }
}
