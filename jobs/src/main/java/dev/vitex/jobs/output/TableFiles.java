package dev.vitex.jobs.output;

import dev.vitex.jobs.config.HadoopConf;
import dev.vitex.jobs.config.JobConfig;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapreduce.Job;
import org.apache.hadoop.mapreduce.TaskAttemptContext;
import org.apache.hadoop.mapreduce.TaskAttemptID;
import org.apache.hadoop.mapreduce.TaskType;
import org.apache.hadoop.mapreduce.task.TaskAttemptContextImpl;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.datasources.OutputWriter;
import org.apache.spark.sql.execution.datasources.OutputWriterFactory;
import org.apache.spark.sql.execution.datasources.parquet.ParquetFileFormat;
import org.apache.spark.sql.types.StructType;
import scala.collection.immutable.Map$;

/**
 * How tasks write the output tables' Parquet files themselves (issue 16): with Spark's own Parquet
 * writer, set up on the driver the way a DataFrame write sets it up ({@code ParquetFileFormat#prepareWrite}:
 * the session's codec, Spark's row metadata in the footer), so the files are the ones
 * {@code df.write().partitionBy("method").parquet(…)} would write. Before, each wave's rows were written
 * once as task output and then read back and written again, split into the tables, by three more Spark
 * jobs (~15 % of the task slots' time for saliency). The data schemas are the tables' as Spark writes
 * them: every field nullable, and {@code method} only in the folder name {@code method=<name>} (a
 * partition column). {@link TaskTables} uses this in the tasks; {@link WaveCommitter} commits what they
 * wrote. Broadcast once per run; the Hadoop configuration is rebuilt once per executor, not per task.
 */
public final class TableFiles implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The two tables a task writes into. */
    public enum Table {
        ATTRIBUTIONS(OutputFolder.ATTRIBUTIONS), ERRORS(OutputFolder.ERRORS);

        private final String folder;

        Table(String folder) {
            this.folder = folder;
        }

        /** The table's folder name under the output root. */
        public String folder() {
            return folder;
        }
    }

    private final JobConfig.Layout layout;
    private final StructType attributionSchema;
    private final StructType errorSchema = Schemas.fileSchema(Schemas.ERRORS);
    private final OutputWriterFactory attributionWriters;
    private final OutputWriterFactory errorWriters;
    private final Map<String, String> attributionConf;
    private final Map<String, String> errorConf;
    private transient volatile JobConf attributionJob;
    private transient volatile JobConf errorJob;

    private TableFiles(JobConfig.Layout layout, StructType attributionSchema, OutputWriterFactory attributionWriters,
                       Map<String, String> attributionConf, OutputWriterFactory errorWriters, Map<String, String> errorConf) {
        this.layout = layout;
        this.attributionSchema = attributionSchema;
        this.attributionWriters = attributionWriters;
        this.attributionConf = attributionConf;
        this.errorWriters = errorWriters;
        this.errorConf = errorConf;
    }

    /** Prepares Spark's Parquet writer for both tables with the session's settings (codec, Hadoop configuration). */
    public static TableFiles prepare(SparkSession spark, JobConfig.Layout layout) {
        StructType attributions = Schemas.fileSchema(layout == JobConfig.Layout.LONG ? Schemas.LONG : Schemas.WIDE);
        StructType errors = Schemas.fileSchema(Schemas.ERRORS);
        Configuration base = spark.sparkContext().hadoopConfiguration();
        Job a = job(base);
        Job e = job(base);
        ParquetFileFormat parquet = new ParquetFileFormat();
        OutputWriterFactory aw = parquet.prepareWrite(spark, a, Map$.MODULE$.<String, String>empty(), attributions);
        OutputWriterFactory ew = parquet.prepareWrite(spark, e, Map$.MODULE$.<String, String>empty(), errors);
        return new TableFiles(layout, attributions, aw, HadoopConf.toMap(a.getConfiguration()), ew,
                HadoopConf.toMap(e.getConfiguration()));
    }

    private static Job job(Configuration base) {
        try {
            return Job.getInstance(new Configuration(base));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    public JobConfig.Layout layout() {
        return layout;
    }

    /** The schema of an attribution file (wide or long, without {@code method}). */
    public StructType attributionSchema() {
        return attributionSchema;
    }

    /** The schema of an error file. */
    public StructType errorSchema() {
        return errorSchema;
    }

    /**
     * A new file of {@code table} named {@code <dir>/part-<partition>-<tag>.c000<codec>.parquet}, written by task
     * {@code partition}'s attempt {@code attempt}.
     */
    public OutputWriter open(Table table, String dir, int partition, int attempt, String tag) {
        JobConf conf = jobConf(table);
        TaskAttemptContext context = new TaskAttemptContextImpl(conf,
                new TaskAttemptID("vitex", 0, TaskType.MAP, partition, attempt));
        OutputWriterFactory f = table == Table.ATTRIBUTIONS ? attributionWriters : errorWriters;
        String name = String.format("part-%05d-%s.c000%s", partition, tag, f.getFileExtension(context));
        return f.newInstance(dir + "/" + name, table == Table.ATTRIBUTIONS ? attributionSchema : errorSchema, context);
    }

    /** The table's writer configuration, built once per JVM from this broadcast value (tasks only read it). */
    private JobConf jobConf(Table table) {
        JobConf c = table == Table.ATTRIBUTIONS ? attributionJob : errorJob;
        if (c == null) {
            synchronized (this) {
                c = table == Table.ATTRIBUTIONS ? attributionJob : errorJob;
                if (c == null) {
                    // a JobConf is used as it is by TaskAttemptContextImpl (any other Configuration is copied: ~1,000 keys)
                    c = new JobConf(HadoopConf.toConfiguration(new HashMap<>(
                            Objects.requireNonNull(table == Table.ATTRIBUTIONS ? attributionConf : errorConf))));
                    if (table == Table.ATTRIBUTIONS) {
                        attributionJob = c;
                    } else {
                        errorJob = c;
                    }
                }
            }
        }
        return c;
    }
}
