package dev.vitex.jobs.driver;

import dev.vitex.core.grid.Granularity;
import dev.vitex.core.grid.UnitGrid;
import dev.vitex.core.model.ModelCard;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Sizes the columnar batches Spark builds when it caches the output rows. Spark's SQL cache turns a
 * partition into batches of {@code spark.sql.inMemoryColumnarStorage.batchSize} rows (10,000 by
 * default), each built whole on the task's heap before it goes to memory or disk. A PIXEL row at
 * 224 px carries 50,176 unit structs and scores (about 5 MB unsafe-encoded), so a partition of 96
 * such rows made a ~0.5 GB batch per task (plus its growth copies) and ran a 2 GB driver out of heap.
 * The batch is capped at about {@link #TARGET_BYTES} of rows instead. And wide rows are cached on disk
 * only: in memory, cached blocks took their share of the heap (Spark's storage fraction, ~1 GB of a
 * 2 GB driver) that the tasks' own rows then lacked, since a block in use cannot be evicted.
 */
final class OutputCache {
    static final String BATCH_ROWS = "spark.sql.inMemoryColumnarStorage.batchSize";
    /** Bytes per cached batch aimed at. */
    static final long TARGET_BYTES = 32L << 20;
    /** Unsafe-row bytes per unit: a struct of 10 four-byte fields (8-byte slots), its null bits and offset, and its score. */
    /** Rows per batch below which rows count as wide (over ~32 KB each). */
    static final int WIDE_BATCH_ROWS = 1000;
    private static final long BYTES_PER_UNIT = 8 + 10 * 8 + 8 + 4;

    private OutputCache() {}

    /** Rows per cached batch for rows of this model and granularity (at least 1). */
    static int batchRows(ModelCard card, Granularity granularity) {
        UnitGrid grid = granularity == Granularity.PIXEL ? UnitGrid.pixels(card.inputHeight(), card.inputWidth())
                : UnitGrid.patches(card.patchSize(), card.inputHeight(), card.inputWidth());
        return (int) Math.max(1, TARGET_BYTES / (BYTES_PER_UNIT * grid.size() + 1024));
    }

    /** Disk only when a cached batch holds fewer than {@link #WIDE_BATCH_ROWS} rows (PIXEL), else memory and disk. */
    static StorageLevel storageLevel(ModelCard card, Granularity granularity) {
        return batchRows(card, granularity) < WIDE_BATCH_ROWS ? StorageLevel.DISK_ONLY() : StorageLevel.MEMORY_AND_DISK();
    }

    /** Lowers the session's cached batch size to {@link #batchRows} when it is larger (never raises it). */
    static void limit(SparkSession spark, ModelCard card, Granularity granularity) {
        int rows = batchRows(card, granularity);
        int current = Integer.parseInt(spark.conf().get(BATCH_ROWS, "10000"));
        if (rows < current) {
            spark.conf().set(BATCH_ROWS, Integer.toString(rows));
        }
    }
}
