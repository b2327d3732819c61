package dev.vitex.jobs.driver;

import dev.vitex.jobs.config.JobConfig;
import dev.vitex.jobs.input.ImageSource;
import dev.vitex.jobs.output.Schemas;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A run's input rows: an image folder's listing, held by the driver as rows ({@link #listedRows}, split into
 * waves there by {@link ListedWaves}), or a Parquet dataset read by Spark. The Dataset of a listing is made
 * only when something asks for it (resume's joins, the report): the waves do not need it, and making it
 * costs the first wave Catalyst's planning of a 20,000-row local relation (issue 16, start-up).
 */
final class RunInput {
    private final SparkSession spark;
    private final List<Row> listed;
    private Dataset<Row> dataset;

    private RunInput(SparkSession spark, List<Row> listed, Dataset<Row> dataset) {
        this.spark = spark;
        this.listed = listed;
        this.dataset = dataset;
    }

    /** Lists nothing again: an image folder's rows come from the plan's files, a Parquet input is read (and its ids checked). */
    static RunInput of(SparkSession spark, JobConfig config, ImageSource.Plan plan) {
        return plan.format() == JobConfig.InputFormat.IMAGES
                ? new RunInput(spark, ImageSource.fileRows(config, plan), null)
                : new RunInput(spark, null, ImageSource.load(spark, config, plan));
    }

    /** The rows of an image folder's listing (with their schema), or null for a Parquet input. */
    List<Row> listedRows() {
        return listed;
    }

    /** All input rows as a Dataset (for a listing: a local relation, made on the first call). */
    synchronized Dataset<Row> dataset() {
        if (dataset == null) {
            dataset = spark.createDataFrame(listed, Schemas.INPUT);
        }
        return dataset;
    }
}
