package dev.vitex.jobs.output;

import java.io.Serializable;
import java.util.List;

/**
 * What one task attempt wrote ({@link TaskTables}): its files, as paths relative to the wave's attempt
 * folder ({@code attributions/method=saliency/part-….parquet}), and its rows. Spark returns exactly one of
 * these per partition to the driver (from the attempt that succeeded), which is what makes the files
 * of failed or duplicate attempts easy to leave out ({@link WaveCommitter}).
 *
 * @param attributionRows rows of one image × method × target (the long layout writes one per unit of each)
 */
public record TaskFiles(int partition, List<String> files, long attributionRows, long errorRows) implements Serializable {
    public TaskFiles {
        files = List.copyOf(files);
    }
}
