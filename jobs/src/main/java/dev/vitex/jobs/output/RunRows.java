package dev.vitex.jobs.output;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;

import dev.vitex.jobs.config.JobConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * One run's rows read back from the committed tables (for the report and the demo's printout, which
 * look at a few images): its attribution rows in the wide form (the long layout's unit rows grouped back
 * into {@code scores} and {@code units}, in unit order) and its error rows. The tables may hold other
 * runs' rows too (append, resume): only {@code run_id} = this run's are kept.
 */
public final class RunRows {
    private RunRows() {}

    /** The run's attribution rows with the columns of {@link Schemas#WIDE}. */
    public static Dataset<Row> attributions(SparkSession spark, FileSystem fs, Path root, JobConfig.Layout layout, String runId) {
        boolean longLayout = layout == JobConfig.Layout.LONG;
        Dataset<Row> rows = read(spark, fs, new Path(root, OutputFolder.ATTRIBUTIONS), longLayout ? Schemas.LONG : Schemas.WIDE)
                .filter(col("run_id").equalTo(runId));
        return longLayout ? wide(rows) : rows.select(columns(Schemas.WIDE));
    }

    /** The run's error rows ({@link Schemas#ERRORS}). */
    public static Dataset<Row> errors(SparkSession spark, FileSystem fs, Path root, String runId) {
        return read(spark, fs, new Path(root, OutputFolder.ERRORS), Schemas.ERRORS).filter(col("run_id").equalTo(runId));
    }

    private static Dataset<Row> read(SparkSession spark, FileSystem fs, Path table, StructType schema) {
        try {
            if (!fs.exists(table)) {
                return spark.createDataFrame(List.of(), schema);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return spark.read().schema(schema).parquet(table.toString());
    }

    /** Long rows (one per unit) grouped back into one wide row per image × method × target. */
    private static Dataset<Row> wide(Dataset<Row> unitRows) {
        List<Column> keys = new ArrayList<>();
        for (StructField f : Schemas.WIDE.fields()) {
            if (!f.name().equals("scores") && !f.name().equals("units")) {
                keys.add(col(f.name()));
            }
        }
        List<Column> unit = new ArrayList<>(List.of(col("unit"), col("score")));
        for (StructField f : Schemas.UNIT.fields()) {
            unit.add(col(f.name()));
        }
        Dataset<Row> grouped = unitRows.groupBy(keys.toArray(Column[]::new))
                .agg(sort_array(collect_list(struct(unit.toArray(Column[]::new)))).as("u"));
        List<Column> out = new ArrayList<>();
        for (StructField f : Schemas.WIDE.fields()) {
            switch (f.name()) {
                case "scores" -> out.add(transform(col("u"), u -> u.getField("score")).as("scores"));
                case "units" -> out.add(transform(col("u"), u -> {
                    List<Column> fields = new ArrayList<>();
                    for (StructField uf : Schemas.UNIT.fields()) {
                        fields.add(u.getField(uf.name()).as(uf.name()));
                    }
                    return struct(fields.toArray(Column[]::new));
                }).as("units"));
                default -> out.add(col(f.name()));
            }
        }
        return grouped.select(out.toArray(Column[]::new));
    }

    private static Column[] columns(StructType schema) {
        List<Column> cols = new ArrayList<>();
        for (StructField f : schema.fields()) {
            cols.add(col(f.name()));
        }
        return cols.toArray(Column[]::new);
    }
}
