package dev.vitex.jobs.output;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_set;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.countDistinct;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What earlier runs into a folder already committed, for {@code --mode resume}, found by joins in
 * Spark (nothing is collected to the driver): images with every method of this run done for every
 * target are removed from the input (a left anti join); the other images get column {@value #COLUMN},
 * the keys {@code method|target} of their rows already written (a left join; null when none), which
 * tasks skip. Only compatible folders are resumed (same model, params, input root…: the fingerprint),
 * so a row's (image id, method, target) identifies the work.
 */
public final class DoneWork {
    /** Input column with the {@code method|target} keys already written for the image. */
    public static final String COLUMN = "done_keys";

    private final Dataset<Row> complete;
    private final Dataset<Row> partial;

    private DoneWork(Dataset<Row> complete, Dataset<Row> partial) {
        this.complete = complete;
        this.partial = partial;
    }

    /** The key of one committed row in {@link #COLUMN}. */
    public static String key(String method, int target) {
        return method + "|" + target;
    }

    /** Reads {@code attributions} (a Parquet table with image_id, method, target). */
    public static DoneWork of(SparkSession spark, String attributions, List<String> methods, int targetsPerImage) {
        Dataset<Row> rows = spark.read().parquet(attributions)
                .select(col("image_id"), col("method"), col("target"))
                .filter(col("method").isin(methods.toArray()))
                .distinct();
        Dataset<Row> complete = rows.groupBy("image_id", "method").agg(countDistinct("target").as("n"))
                .filter(col("n").geq(targetsPerImage))
                .groupBy("image_id").count()
                .filter(col("count").equalTo(methods.size()))
                .select("image_id");
        Dataset<Row> partial = rows.join(complete, rows.col("image_id").equalTo(complete.col("image_id")), "left_anti")
                .groupBy("image_id")
                .agg(collect_set(concat_ws("|", col("method"), col("target").cast("string"))).as(COLUMN));
        return new DoneWork(complete, partial);
    }

    /** The input without the complete images, with column {@link #COLUMN}. */
    public Dataset<Row> remaining(Dataset<Row> input) {
        Dataset<Row> left = input.join(complete, input.col("image_id").equalTo(complete.col("image_id")), "left_anti");
        return left.join(partial, left.col("image_id").equalTo(partial.col("image_id")), "left_outer")
                .select(left.col("*"), partial.col(COLUMN));
    }

    /** How many input images are complete already (a count in Spark). */
    public long completeImages(Dataset<Row> input) {
        return input.join(complete, input.col("image_id").equalTo(complete.col("image_id")), "left_semi").count();
    }
}
