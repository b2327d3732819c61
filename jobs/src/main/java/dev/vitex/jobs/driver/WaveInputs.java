package dev.vitex.jobs.driver;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;

/**
 * The input rows of each wave of a {@link WavePlan}, already spread over the wave's partitions, ready for
 * the tasks: {@link ListedWaves} when the driver holds the rows (an image folder's listing), {@link
 * DatasetWaves} when Spark reads them (a Parquet input).
 */
@FunctionalInterface
public interface WaveInputs {
    /** Wave {@code k}'s rows (of {@code Schemas.INPUT}, plus {@code done_keys} when resuming) in {@code partitionsPerWave} partitions. */
    JavaRDD<Row> wave(int k);
}
