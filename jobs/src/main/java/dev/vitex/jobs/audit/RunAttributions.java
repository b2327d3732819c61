package dev.vitex.jobs.audit;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;

import dev.vitex.jobs.config.ConfigException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A run's {@code attributions/} as one row per image × method × target in the columns the audit needs,
 * whatever the layout: {@code image_id, source_path, method, target, target_label, predicted_label,
 * granularity, grid_height, grid_width, input_height, input_width, scores array<float>} (row-major),
 * {@code box array<double>} (the grid's {@code top, left, bottom, right} in the original image, for heatmaps),
 * {@code deletion_auc, insertion_auc}. The long layout is folded back (one shuffle).
 */
public final class RunAttributions {
    static final List<String> KEY = List.of("image_id", "method", "target");
    private static final List<String> PER_ROW = List.of("source_path", "target_label", "predicted_label", "granularity",
            "grid_height", "grid_width", "input_height", "input_width", "deletion_auc", "insertion_auc");

    private RunAttributions() {}

    /** The rows of {@code runDir}/attributions, restricted to {@code methods} when not empty. */
    public static Dataset<Row> read(SparkSession spark, String runDir, List<String> methods) {
        String dir = runDir.replaceAll("/+$", "") + "/attributions";
        if (!exists(spark, dir)) {
            throw new ConfigException("--run " + runDir + ": no attributions/ folder there (is it a vitex run's output?)");
        }
        Dataset<Row> raw = spark.read().parquet(dir);
        List<String> columns = Arrays.asList(raw.columns());
        Dataset<Row> wide;
        if (columns.contains("scores")) {
            Column box = array(col("units").getItem(0).getField("oy0").cast("double"),
                    col("units").getItem(0).getField("ox0").cast("double"),
                    element_at(col("units"), -1).getField("oy1").cast("double"),
                    element_at(col("units"), -1).getField("ox1").cast("double"));
            wide = raw.withColumn("box", box);
        } else if (columns.contains("score") && columns.contains("unit")) {
            Column[] keep = PER_ROW.stream().map(c -> first(col(c)).as(c)).toArray(Column[]::new);
            Column[] aggs = new Column[keep.length + 5];
            System.arraycopy(keep, 0, aggs, 0, keep.length);
            aggs[keep.length] = array_sort(collect_list(struct(col("unit"), col("score")))).as("pairs");
            aggs[keep.length + 1] = min("oy0").cast("double").as("top");
            aggs[keep.length + 2] = min("ox0").cast("double").as("left");
            aggs[keep.length + 3] = max("oy1").cast("double").as("bottom");
            aggs[keep.length + 4] = max("ox1").cast("double").as("right");
            wide = raw.groupBy(KEY.stream().map(c -> col(c)).toArray(Column[]::new))
                    .agg(aggs[0], Arrays.copyOfRange(aggs, 1, aggs.length))
                    .withColumn("scores", transform(col("pairs"), p -> p.getField("score")))
                    .withColumn("box", array(col("top"), col("left"), col("bottom"), col("right")));
        } else {
            throw new ConfigException(dir + ": neither the wide (scores) nor the long (unit, score) layout of vitex attributions");
        }
        if (!methods.isEmpty()) {
            wide = wide.filter(col("method").isin(methods.toArray()));
        }
        Dataset<Row> out = wide.select(col("image_id"), col("source_path"), col("method"), col("target"), col("target_label"),
                col("predicted_label"), col("granularity"), col("grid_height"), col("grid_width"), col("input_height"),
                col("input_width"), col("scores"), col("box"), col("deletion_auc").cast("double"),
                col("insertion_auc").cast("double"));
        return out.withColumn("method", col("method").cast("string"));
    }

    private static boolean exists(SparkSession spark, String dir) {
        try {
            Path p = new Path(dir);
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            return fs.exists(p);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read " + dir + ": " + e.getMessage(), e);
        }
    }
}
