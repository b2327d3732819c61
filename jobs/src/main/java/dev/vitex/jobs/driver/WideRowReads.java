package dev.vitex.jobs.driver;

import dev.vitex.core.grid.Granularity;
import dev.vitex.core.grid.UnitGrid;
import dev.vitex.core.model.ModelCard;
import org.apache.spark.sql.SparkSession;

/**
 * Caps the rows per batch of Spark's vectorized Parquet reader for the run's own wide rows. Each wave
 * is written to a staging table and read back to split it into attributions and errors; the reader
 * fills column vectors for {@code spark.sql.parquet.columnarReaderBatchSize} rows at once (4,096 by
 * default), nested arrays included. A PIXEL row at 224 px holds 50,176 unit structs and scores
 * (~5 MB), so a default batch asked for gigabytes and a 2 GB driver died in
 * {@code OnHeapColumnVector.reserveInternal} (measured: 64 images × 3 methods × top:2). The batch is
 * sized to about {@link #TARGET_BYTES} of rows instead; PATCH rows keep the default.
 */
final class WideRowReads {
    static final String BATCH_ROWS = "spark.sql.parquet.columnarReaderBatchSize";
    /** Bytes per reader batch aimed at. */
    static final long TARGET_BYTES = 32L << 20;
    /** Decoded bytes per unit: 10 int/float fields of the unit struct, their null and offset slots, and the score. */
    private static final long BYTES_PER_UNIT = 10 * 4 + 10 + 8 + 4;

    private WideRowReads() {}

    /** Rows per reader batch for rows of this model and granularity (at least 1). */
    static int batchRows(ModelCard card, Granularity granularity) {
        UnitGrid grid = granularity == Granularity.PIXEL ? UnitGrid.pixels(card.inputHeight(), card.inputWidth())
                : UnitGrid.patches(card.patchSize(), card.inputHeight(), card.inputWidth());
        return (int) Math.max(1, TARGET_BYTES / (BYTES_PER_UNIT * grid.size() + 1024));
    }

    /** Lowers the session's reader batch to {@link #batchRows} when it is larger (never raises it). */
    static void limit(SparkSession spark, ModelCard card, Granularity granularity) {
        int rows = batchRows(card, granularity);
        int current = Integer.parseInt(spark.conf().get(BATCH_ROWS, "4096"));
        if (rows < current) {
            spark.conf().set(BATCH_ROWS, Integer.toString(rows));
        }
    }
}
