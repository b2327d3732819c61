package dev.vitex.jobs.output;

import dev.vitex.jobs.config.HadoopConf;
import dev.vitex.jobs.config.JobConfig;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Map;
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
    private final Writer attributions;
    private final Writer errors;

    private TableFiles(JobConfig.Layout layout, Writer attributions, Writer errors) {
        this.layout = layout;
        this.attributions = attributions;
        this.errors = errors;
    }

    /** Prepares Spark's Parquet writer for both tables with the session's settings (codec, Hadoop configuration). */
    public static TableFiles prepare(SparkSession spark, JobConfig.Layout layout) {
        return new TableFiles(layout,
                new Writer(spark, Schemas.fileSchema(layout == JobConfig.Layout.LONG ? Schemas.LONG : Schemas.WIDE)),
                new Writer(spark, Schemas.fileSchema(Schemas.ERRORS)));
    }

    public JobConfig.Layout layout() {
        return layout;
    }

    /** The schema of an attribution file (wide or long, without {@code method}). */
    public StructType attributionSchema() {
        return attributions.schema;
    }

    /** The schema of an error file. */
    public StructType errorSchema() {
        return errors.schema;
    }

    /**
     * A new file of {@code table} named {@code <dir>/part-<partition>-<tag>.c000<codec>.parquet}, written by task
     * {@code partition}'s attempt {@code attempt}.
     */
    public OutputWriter open(Table table, String dir, int partition, int attempt, String tag) {
        return (table == Table.ATTRIBUTIONS ? attributions : errors).open(dir, partition, attempt, tag);
    }

    /** One table's writer: its file schema, Spark's factory, and the configuration the factory was prepared in. */
    private static final class Writer implements Serializable {
        private static final long serialVersionUID = 1L;
        private final StructType schema;
        private final OutputWriterFactory factory;
        private final Map<String, String> conf;
        private transient volatile JobConf job;

        Writer(SparkSession spark, StructType schema) {
            Job j;
            try {
                j = Job.getInstance(new Configuration(spark.sparkContext().hadoopConfiguration()));
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            this.schema = schema;
            this.factory = new ParquetFileFormat().prepareWrite(spark, j, Map$.MODULE$.<String, String>empty(), schema);
            this.conf = HadoopConf.toMap(j.getConfiguration());
        }

        OutputWriter open(String dir, int partition, int attempt, String tag) {
            TaskAttemptContext context = new TaskAttemptContextImpl(job(),
                    new TaskAttemptID("vitex", 0, TaskType.MAP, partition, attempt));
            String name = String.format("part-%05d-%s.c000%s", partition, tag, factory.getFileExtension(context));
            return factory.newInstance(dir + "/" + name, schema, context);
        }

        /** The writer configuration, built once per JVM from the broadcast value (tasks only read it). */
        private JobConf job() {
            JobConf c = job;
            if (c == null) {
                synchronized (this) {
                    if (job == null) {
                        // a JobConf is used as it is by TaskAttemptContextImpl (any other Configuration is copied: ~1,000 keys)
                        job = new JobConf(HadoopConf.toConfiguration(conf));
                    }
                    c = job;
                }
            }
            return c;
        }
    }
}
