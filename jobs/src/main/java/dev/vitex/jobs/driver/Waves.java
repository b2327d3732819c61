package dev.vitex.jobs.driver;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.xxhash64;

import dev.vitex.jobs.output.TaskFiles;
import dev.vitex.jobs.output.WaveCommitter;
import java.io.IOException;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Runs the images of a {@link WavePlan} wave after wave, each explained once; a wave is committed on a
 * {@link CommitLane} while the next one computes, and waves are committed in order.
 */
public final class Waves {
    private static final String WAVE = "vitex_wave";

    private Waves() {}

    /**
     * Turns a wave's input rows into its tasks: spreads them over the wave's partitions, runs the model,
     * and writes each task's table files under {@code attempts}, with {@code tag} in their names.
     */
    @FunctionalInterface
    public interface Explain {
        JavaRDD<TaskFiles> apply(Dataset<Row> waveInput, String attempts, String tag);
    }

    /** Called after each committed wave, in wave order, on the commit thread ({@link CommitLane}). */
    @FunctionalInterface
    public interface AfterWave {
        void committed(int wave, WaveCommitter.Committed rows) throws IOException;
    }

    /** The wave folder name of wave {@code k} of a run. */
    public static String name(String runId, int k) {
        return String.format(Locale.ROOT, "%s-w%05d", runId, k);
    }

    public static void run(Dataset<Row> input, WavePlan plan, String runId, WaveCommitter committer, Explain explain,
                           AfterWave after) throws IOException {
        Dataset<Row> tagged = plan.waves() == 1 ? input
                : input.withColumn(WAVE, pmod(xxhash64(col("image_id")), lit(plan.waves())));
        try (CommitLane lane = new CommitLane(after)) {
            for (int k = 0; k < plan.waves(); k++) {
                Dataset<Row> wave = plan.waves() == 1 ? tagged : tagged.filter(col(WAVE).equalTo(k)).drop(WAVE);
                String name = name(runId, k);
                WaveCommitter.Staged staged = committer.stage(explain.apply(wave, committer.attempts(name).toString(), name), name);
                lane.submit(k, () -> committer.commit(staged));
            }
            lane.awaitPending();
        }
    }
}
