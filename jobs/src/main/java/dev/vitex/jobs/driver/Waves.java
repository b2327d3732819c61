package dev.vitex.jobs.driver;

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
    private Waves() {}

    /** Turns a wave's input rows, already spread over the wave's partitions ({@link WaveInputs}), into task output rows. */
    @FunctionalInterface
    public interface Explain {
        Dataset<Row> apply(JavaRDD<Row> waveInput);
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

    public static void run(WaveInputs inputs, WavePlan plan, String runId, WaveCommitter committer, Explain explain,
                           AfterWave after) throws IOException {
        try (CommitLane lane = new CommitLane(after)) {
            for (int k = 0; k < plan.waves(); k++) {
                WaveCommitter.Staged staged = committer.stage(explain.apply(inputs.wave(k)), name(runId, k));
                lane.submit(k, () -> committer.commit(staged));
            }
            lane.awaitPending();
        }
    }
}
