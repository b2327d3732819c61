package dev.vitex.jobs.driver;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;

/**
 * Waves made on the driver from rows it already holds (an image folder's listing): each row goes to wave
 * {@link WavePlan#waveOf} of its {@code image_id}, and a wave is handed to Spark with {@code parallelize}
 * in {@code partitionsPerWave} slices of its rows (sizes differ by at most one).
 *
 * <p>Why (issue 16, start-up): the same split in Spark SQL (a local relation, a hash column, a filter and a
 * {@code repartition} per wave) cost ~1.6 s of planning and a shuffle-map stage before the first model task
 * of a 20,000-file run; here there is no plan to optimise and no shuffle: the rows travel in the tasks.
 * The rows must carry their schema ({@code GenericRowWithSchema}): tasks read fields by name.
 */
public final class ListedWaves implements WaveInputs {
    private final JavaSparkContext jsc;
    private final int partitionsPerWave;
    private final List<List<Row>> waves;

    public ListedWaves(JavaSparkContext jsc, List<Row> rows, WavePlan plan) {
        this.jsc = jsc;
        this.partitionsPerWave = plan.partitionsPerWave();
        this.waves = split(rows, plan);
    }

    /** The rows of each wave, in listing order within a wave. */
    static List<List<Row>> split(List<Row> rows, WavePlan plan) {
        List<List<Row>> out = new ArrayList<>(plan.waves());
        int expected = (int) Math.min(Integer.MAX_VALUE, rows.size() / (long) plan.waves() + 16);
        for (int k = 0; k < plan.waves(); k++) {
            out.add(new ArrayList<>(expected));
        }
        for (Row r : rows) {
            out.get(plan.waves() == 1 ? 0 : plan.waveOf(r.getAs("image_id"))).add(r);
        }
        return out;
    }

    /** How many rows wave {@code k} holds. */
    public int size(int k) {
        return waves.get(k).size();
    }

    @Override
    public JavaRDD<Row> wave(int k) {
        return jsc.parallelize(waves.get(k), partitionsPerWave);
    }
}
