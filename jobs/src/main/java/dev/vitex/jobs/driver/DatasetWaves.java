package dev.vitex.jobs.driver;

import static org.apache.spark.sql.functions.col;

import dev.vitex.jobs.input.ImageSource;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Waves of an input Spark reads (a Parquet dataset, whose rows carry their bytes and stay on the
 * executors): each wave is the input filtered on {@link WavePlan#waveColumn}, spread over its partitions
 * by {@link ImageSource#distribute}.
 */
public final class DatasetWaves implements WaveInputs {
    private static final String WAVE = "vitex_wave";

    private final Dataset<Row> tagged;
    private final WavePlan plan;
    private final ImageSource.Plan source;

    public DatasetWaves(Dataset<Row> input, WavePlan plan, ImageSource.Plan source) {
        this.tagged = plan.waves() == 1 ? input : input.withColumn(WAVE, plan.waveColumn());
        this.plan = plan;
        this.source = source;
    }

    @Override
    public JavaRDD<Row> wave(int k) {
        Dataset<Row> wave = plan.waves() == 1 ? tagged : tagged.filter(col(WAVE).equalTo(k)).drop(WAVE);
        return ImageSource.distribute(wave, plan.partitionsPerWave(), source).javaRDD();
    }
}
