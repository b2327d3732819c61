package dev.vitex.jobs.driver;

import dev.vitex.jobs.output.TaskFiles;
import dev.vitex.jobs.output.WaveCommitter;
import java.io.IOException;
import java.util.Locale;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;

/**
 * Runs the images of a {@link WavePlan} wave after wave, each explained once, and commits them in order.
 * Wave k + 1's job is submitted before wave k is awaited, so it queues behind wave k and its tasks take
 * the task slots as wave k's last tasks end (no idle slots at a wave's end, no planning gap between
 * waves); wave k is committed while wave k + 1 computes. So at most two waves are in flight: a kill loses
 * the one being committed (unless its {@code _READY} marker is written: the next run finishes it) and the
 * one computing.
 */
public final class Waves {
    private Waves() {}

    /**
     * Turns a wave's input rows, already spread over the wave's partitions ({@link WaveInputs}), into its
     * tasks: runs the model and writes each task's table files under {@code attempts}, with {@code tag}
     * in their names.
     */
    @FunctionalInterface
    public interface Explain {
        JavaRDD<TaskFiles> apply(JavaRDD<Row> waveInput, String attempts, String tag);
    }

    /** Called after each committed wave, in wave order. */
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
        WaveCommitter.Running running = submit(committer, explain, inputs.wave(0), runId, 0);
        for (int k = 0; k < plan.waves(); k++) {
            WaveCommitter.Running next = null;
            try {
                if (k + 1 < plan.waves()) {
                    next = submit(committer, explain, inputs.wave(k + 1), runId, k + 1);
                }
                after.committed(k, committer.commit(running.await()));
            } catch (IOException | RuntimeException | Error e) {
                running.cancel(); // no-op once it has ended; the run stops here
                if (next != null) {
                    next.cancel();
                }
                throw e;
            }
            running = next;
        }
    }

    private static WaveCommitter.Running submit(WaveCommitter committer, Explain explain, JavaRDD<Row> wave, String runId,
                                                int k) throws IOException {
        String name = name(runId, k);
        return committer.submit(explain.apply(wave, committer.attempts(name).toString(), name), name);
    }
}
