package dev.vitex.jobs;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.vitex.core.grid.Granularity;
import dev.vitex.core.image.ImageGeometry;
import dev.vitex.core.method.Attribution;
import dev.vitex.core.pipeline.ImageFacts;
import dev.vitex.core.pipeline.ImageOutcome;
import dev.vitex.core.pipeline.ImageOutcome.Explained;
import dev.vitex.core.pipeline.ImageOutcome.Failed;
import dev.vitex.core.pipeline.ImageOutcome.Finished;
import dev.vitex.core.pipeline.ImageOutcome.Status;
import dev.vitex.jobs.output.InternalRowFrame;
import dev.vitex.jobs.output.RowEncoder;
import dev.vitex.jobs.output.Schemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task rows in Spark's internal form, turned into a DataFrame through the one non-public Spark API vitex
 * uses ({@link InternalRowFrame}; this test fails if a Spark upgrade breaks it), give the same Parquet as
 * the generic {@code Row} path the job used before issue 16: the same file schema (Parquet's and Spark's
 * footer metadata), and rows that read back with design.md's values (boxes in original pixels, PIXEL rows).
 */
class InternalRowFrameTest {
    @TempDir
    Path dir;

    private static final String SPARK_SCHEMA = "org.apache.spark.sql.parquet.row.metadata";

    @Test
    void internalRowsWriteTheSameParquetAsRowsWithTheDocumentedValues() throws IOException {
        SparkSession spark = JobTests.spark();
        ImageGeometry off = RowEncoderTest.offSize();
        ImageFacts a = new ImageFacts(0, "a", "sha-a", off, RowEncoderTest.scores());
        Attribution pixel = RowEncoderTest.attribution(Granularity.PIXEL, 1, 0);
        Attribution patch = RowEncoderTest.attribution(Granularity.PATCH, RowEncoderTest.CARD.patchSize(), 1);
        List<ImageOutcome> outcomes = List.of(
                new Explained(a, pixel, "{}", 3.0, null),
                new Explained(a, patch, "{}", 3.0, null),
                new Failed(a, "method", "occlusion", "IllegalStateException", "boom"),
                new Finished(a, Status.FAILED));
        List<InternalRow> rows = new RowEncoder(RowEncoderTest.RUN, RowEncoderTest.CARD).encode(outcomes, Arrays.asList("/in/a.png"));
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Dataset<Row> frame = InternalRowFrame.of(spark, jsc.parallelize(rows, 2).rdd(), Schemas.TASK_OUTPUT);
        assertEquals(Schemas.TASK_OUTPUT, frame.schema());
        Path internal = dir.resolve("internal");
        frame.write().parquet(internal.toString());

        List<Row> back = sorted(spark.read().parquet(internal.toString()));
        assertEquals(4, back.size());
        // the generic path (Row → Spark's converter), as mapPartitions(…, Encoders.row(TASK_OUTPUT)) did
        Path generic = dir.resolve("generic");
        spark.createDataFrame(back, Schemas.TASK_OUTPUT).write().parquet(generic.toString());
        FileMetaData ours = footer(internal);
        FileMetaData theirs = footer(generic);
        assertEquals(theirs.getSchema(), ours.getSchema(), "Parquet schema");
        assertNotNull(ours.getKeyValueMetaData().get(SPARK_SCHEMA));
        assertEquals(theirs.getKeyValueMetaData().get(SPARK_SCHEMA), ours.getKeyValueMetaData().get(SPARK_SCHEMA));
        assertEquals(sorted(spark.read().parquet(generic.toString())), back, "values");

        Row patchRow = back.get(0); // attribution rows sort first, PATCH before PIXEL
        Row pixelRow = back.get(1);
        assertEquals("PIXEL", pixelRow.getAs("granularity"));
        assertEquals("PATCH", patchRow.getAs("granularity"));
        assertUnits(pixelRow, 1, off);
        assertUnits(patchRow, RowEncoderTest.CARD.patchSize(), off);
        List<Float> scores = pixelRow.getList(pixelRow.fieldIndex("scores"));
        float[] s = new float[scores.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = scores.get(i);
        }
        assertArrayEquals(pixel.scores(), s);
        assertEquals("run", pixelRow.getAs("run_id"));
        assertEquals("/in/a.png", pixelRow.getAs("source_path"));
        assertEquals(300, (int) pixelRow.getAs("image_width"));
        assertEquals(2L, (long) pixelRow.getAs("model_passes"));
        assertNull(pixelRow.getAs("deletion_auc"));
        Row error = back.get(2);
        assertEquals(Schemas.ERROR, error.getAs("kind"));
        assertEquals("boom", error.getAs("message"));
        assertNull(error.getAs("units"));
        assertEquals("failed", back.get(3).getAs("status"));
    }

    /** design.md § Output: unit (r, c) of cell s, in the input and (input + crop) · original / resized in the original. */
    private static void assertUnits(Row row, int cell, ImageGeometry g) {
        List<Row> units = row.getList(row.fieldIndex("units"));
        int cols = RowEncoderTest.CARD.inputWidth() / cell;
        assertEquals(RowEncoderTest.CARD.inputHeight() / cell * cols, units.size());
        for (int i = 0; i < units.size(); i += 7) {
            Row u = units.get(i);
            int r = i / cols;
            int c = i % cols;
            assertEquals(List.of(r, c, r * cell, c * cell, r * cell + cell, c * cell + cell),
                    List.of(u.getInt(0), u.getInt(1), u.getInt(2), u.getInt(3), u.getInt(4), u.getInt(5)));
            assertEquals((r * cell + g.cropTop()) * (double) g.originalHeight() / g.resizedHeight(), u.getFloat(6), 1e-4);
            assertEquals((c * cell + g.cropLeft()) * (double) g.originalWidth() / g.resizedWidth(), u.getFloat(7), 1e-4);
            assertEquals((r * cell + cell + g.cropTop()) * (double) g.originalHeight() / g.resizedHeight(), u.getFloat(8), 1e-4);
            assertEquals((c * cell + cell + g.cropLeft()) * (double) g.originalWidth() / g.resizedWidth(), u.getFloat(9), 1e-4);
        }
    }

    private static List<Row> sorted(Dataset<Row> rows) {
        return rows.orderBy(col("kind"), col("granularity"), col("target")).collectAsList();
    }

    private static FileMetaData footer(Path table) throws IOException {
        Path part;
        try (Stream<Path> files = Files.list(table)) {
            part = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(
                new org.apache.hadoop.fs.Path(part.toUri()), new Configuration()))) {
            return reader.getFooter().getFileMetaData();
        }
    }
}
