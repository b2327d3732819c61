package dev.vitex.jobs.driver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.catalyst.expressions.XXH64;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * How a run's images are split into waves, each committed while the next one computes (a killed run
 * loses at most the two waves in flight). {@code partitions} is the run's total ({@code --partitions}, or one per
 * {@value #IMAGES_PER_PARTITION} images, at least one per task slot); a wave is {@code partitionsPerWave} of them
 * ({@code wave_partitions}, or 4 × the task slots but at least {@value #MIN_AUTO_WAVE_IMAGES} images' worth:
 * 2,048 images per wave on 2 slots, 102,400 on 400). Images go to wave {@code pmod(xxhash64(image_id), waves)}:
 * the same image always lands in the same wave of a plan, whatever the listing order. The rule has two
 * spellings that agree: {@link #waveOf} on the driver (an image folder's listing is split there,
 * {@link ListedWaves}) and {@link #waveColumn} in Spark SQL (a Parquet input is filtered there,
 * {@link DatasetWaves}).
 *
 * <p>Why these sizes (issue 16, measured with saliency on 2 slots): every task and every wave has a
 * fixed cost (a task's Parquet writer and Hadoop configuration, a wave's four Spark jobs and its file
 * commits: about 2–3 s per wave on a local file system), which at 16 images per partition and 128 per
 * wave was most of the run for a method that takes milliseconds per image.
 */
public record WavePlan(long images, int partitions, int waves, int partitionsPerWave) {
    public static final int IMAGES_PER_PARTITION = 64;
    public static final int AUTO_WAVES_PER_SLOT = 4;
    public static final int MIN_AUTO_WAVE_IMAGES = 2048;
    /** The seed of Spark SQL's {@code xxhash64} ({@code XxHash64.seed}). */
    static final long SPARK_XXHASH64_SEED = 42L;

    /**
     * @param partitionsOption {@code --partitions} (0 = auto)
     * @param wavePartitionsOption {@code wave_partitions} (0 = auto)
     * @param slots the run's task slots (Spark's default parallelism)
     */
    public static WavePlan of(long images, int partitionsOption, int wavePartitionsOption, int slots) {
        int partitions = partitionsOption > 0 ? partitionsOption : (int) Math.max(Math.max(1, slots),
                Math.min(Integer.MAX_VALUE, (images + IMAGES_PER_PARTITION - 1) / IMAGES_PER_PARTITION));
        int perWave = wavePartitionsOption > 0 ? wavePartitionsOption
                : Math.max(AUTO_WAVES_PER_SLOT * Math.max(1, slots), MIN_AUTO_WAVE_IMAGES / IMAGES_PER_PARTITION);
        int waves = Math.max(1, (partitions + perWave - 1) / perWave);
        // spread the partitions evenly: 9 partitions at 8 per wave are 2 waves of 5, not 8 + 1
        int even = (partitions + waves - 1) / waves;
        return new WavePlan(images, partitions, waves, Math.max(1, even));
    }

    /** About how many images one wave holds. */
    public long imagesPerWave() {
        return (images + waves - 1) / waves;
    }

    /** The wave of an image, computed as Spark computes {@link #waveColumn}: the same hash of the id's UTF-8 bytes. */
    public int waveOf(String imageId) {
        long h = XXH64.hashUTF8String(UTF8String.fromString(imageId), SPARK_XXHASH64_SEED);
        return (int) Math.floorMod(h, (long) waves);
    }

    /** The wave of each row, in Spark SQL: {@code pmod(xxhash64(image_id), waves)}. */
    public Column waveColumn() {
        return pmod(xxhash64(col("image_id")), lit(waves));
    }
}
