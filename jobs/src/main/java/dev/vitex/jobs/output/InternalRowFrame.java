package dev.vitex.jobs.output;

import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * The one place vitex uses a Spark API that is not public in Scala: a DataFrame over an RDD of rows
 * already in Spark's internal form. Tasks build {@link InternalRow}s ({@link RowEncoder}); the public
 * ways in ({@code createDataFrame}, {@code mapPartitions} with {@code Encoders.row}) take {@code Row}s
 * and convert every value, nested {@code units} structs included, which was 40 % of the task threads'
 * Java samples for saliency (issue 16). {@code classic.SparkSession#internalCreateDataFrame} is
 * {@code private[sql]} in Scala and public in the bytecode (Spark 4.1.0). {@code InternalRowFrameTest}
 * fails if a Spark upgrade removes or changes it.
 */
public final class InternalRowFrame {
    private InternalRowFrame() {}

    /** A DataFrame of {@code schema} whose rows are {@code rows}, as they are (they must match {@code schema}). */
    public static Dataset<Row> of(SparkSession spark, RDD<InternalRow> rows, StructType schema) {
        if (!(spark instanceof org.apache.spark.sql.classic.SparkSession classic)) {
            throw new IllegalStateException("vitex needs a classic (in-process) Spark session, not "
                    + spark.getClass().getName() + " (Spark Connect is not supported)");
        }
        return classic.internalCreateDataFrame(rows, schema, false);
    }
}
