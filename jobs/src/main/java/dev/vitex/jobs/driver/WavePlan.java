package dev.vitex.jobs.driver;

/**
 * How a run's images are split into waves, each committed before the next starts (a killed run loses
 * at most the wave in flight). {@code partitions} is the run's total ({@code --partitions}, or one per
 * {@value #IMAGES_PER_PARTITION} images, at least one per task slot); a wave is {@code partitionsPerWave} of them
 * ({@code wave_partitions}, or 4 × the task slots: 128 images per wave on 2 slots, 25,600 on 400).
 * Images go to wave {@code pmod(xxhash64(image_id), waves)}: the same image always lands in the same
 * wave of a plan, whatever the listing order.
 */
public record WavePlan(long images, int partitions, int waves, int partitionsPerWave) {
    public static final int IMAGES_PER_PARTITION = 16;
    public static final int AUTO_WAVES_PER_SLOT = 4;

    /**
     * @param partitionsOption {@code --partitions} (0 = auto)
     * @param wavePartitionsOption {@code wave_partitions} (0 = auto)
     * @param slots the run's task slots (Spark's default parallelism)
     */
    public static WavePlan of(long images, int partitionsOption, int wavePartitionsOption, int slots) {
        int partitions = partitionsOption > 0 ? partitionsOption : (int) Math.max(Math.max(1, slots),
                Math.min(Integer.MAX_VALUE, (images + IMAGES_PER_PARTITION - 1) / IMAGES_PER_PARTITION));
        int perWave = wavePartitionsOption > 0 ? wavePartitionsOption : AUTO_WAVES_PER_SLOT * Math.max(1, slots);
        int waves = Math.max(1, (partitions + perWave - 1) / perWave);
        // spread the partitions evenly: 9 partitions at 8 per wave are 2 waves of 5, not 8 + 1
        int even = (partitions + waves - 1) / waves;
        return new WavePlan(images, partitions, waves, Math.max(1, even));
    }

    /** About how many images one wave holds. */
    public long imagesPerWave() {
        return (images + waves - 1) / waves;
    }
}
