package dev.vitex.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vitex.jobs.output.DoneWork;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Resume's done work, found by joins in Spark on a real Parquet table. */
class DoneWorkTest {
    @TempDir
    Path tmp;

    @Test
    void completeImagesAreRemovedAndPartialOnesCarryTheirDoneKeys() {
        SparkSession spark = JobTests.spark();
        StructType rows = new StructType().add("image_id", DataTypes.StringType).add("method", DataTypes.StringType)
                .add("target", DataTypes.IntegerType);
        // a: both methods × 2 targets (complete); b: saliency only; c: occlusion target 1 only, twice (appended twice);
        // d: a method of another run only; e: nothing
        List<Row> written = List.of(
                RowFactory.create("a", "saliency", 0), RowFactory.create("a", "saliency", 1),
                RowFactory.create("a", "occlusion", 0), RowFactory.create("a", "occlusion", 1),
                RowFactory.create("b", "saliency", 0), RowFactory.create("b", "saliency", 1),
                RowFactory.create("c", "occlusion", 1), RowFactory.create("c", "occlusion", 1),
                RowFactory.create("d", "lime", 0));
        String table = tmp.resolve("attributions").toString();
        spark.createDataFrame(written, rows).write().partitionBy("method").parquet(table);

        Dataset<Row> input = spark.createDataFrame(List.of(RowFactory.create("a", "pa"), RowFactory.create("b", "pb"),
                RowFactory.create("c", "pc"), RowFactory.create("d", "pd"), RowFactory.create("e", "pe")),
                new StructType().add("image_id", DataTypes.StringType).add("source_path", DataTypes.StringType));
        DoneWork done = DoneWork.of(spark, table, List.of("saliency", "occlusion"), 2);
        assertEquals(1, done.completeImages(input));
        Map<String, String> remaining = new TreeMap<>();
        for (Row r : done.remaining(input).collectAsList()) {
            List<String> keys = r.isNullAt(2) ? List.of() : r.getList(2);
            remaining.put(r.getString(0) + ":" + r.getString(1), String.join(",", new TreeSet<>(keys)));
        }
        assertEquals(Map.of("b:pb", "saliency|0,saliency|1", "c:pc", "occlusion|1", "d:pd", "", "e:pe", ""), remaining);
        assertEquals(List.of("image_id", "source_path", DoneWork.COLUMN), List.of(done.remaining(input).columns()));
    }
}
