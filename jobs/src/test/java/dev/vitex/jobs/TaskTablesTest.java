package dev.vitex.jobs;

import static org.apache.spark.sql.functions.arrays_zip;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.posexplode;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitex.core.grid.Granularity;
import dev.vitex.core.image.ImageGeometry;
import dev.vitex.core.method.Attribution;
import dev.vitex.core.pipeline.ImageFacts;
import dev.vitex.core.pipeline.ImageOutcome;
import dev.vitex.core.pipeline.ImageOutcome.Explained;
import dev.vitex.core.pipeline.ImageOutcome.Failed;
import dev.vitex.core.pipeline.ImageOutcome.Finished;
import dev.vitex.core.pipeline.ImageOutcome.Status;
import dev.vitex.jobs.config.JobConfig;
import dev.vitex.jobs.output.RowEncoder;
import dev.vitex.jobs.output.RunRows;
import dev.vitex.jobs.output.Schemas;
import dev.vitex.jobs.output.TableFiles;
import dev.vitex.jobs.output.TaskFiles;
import dev.vitex.jobs.output.TaskTables;
import dev.vitex.jobs.output.WaveCommitter;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.FileMetaData;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tasks write the tables' Parquet files themselves ({@link TaskTables}, {@link TableFiles}); the files must
 * be the ones the job wrote before issue 16 by splitting the task output with Spark SQL (the reference
 * here: {@code filter(kind) → select → write().partitionBy("method")}, and for the long layout
 * {@code posexplode(arrays_zip(units, scores))}): the same Parquet schema and Spark row metadata in the
 * footer, the same rows. The values are also checked against design.md (boxes in original pixels, PIXEL
 * rows), and a wave commits only the files its successful attempts reported.
 */
class TaskTablesTest {
    @TempDir
    Path dir;

    private static final String SPARK_SCHEMA = "org.apache.spark.sql.parquet.row.metadata";

    private static List<InternalRow> taskRows() {
        ImageGeometry off = RowEncoderTest.offSize();
        ImageFacts a = new ImageFacts(0, "a", "sha-a", off, RowEncoderTest.scores());
        ImageFacts b = new ImageFacts(1, "b", "sha-b", off, RowEncoderTest.scores());
        Attribution pixel = RowEncoderTest.attribution(Granularity.PIXEL, 1, 0);
        Attribution patch = RowEncoderTest.attribution(Granularity.PATCH, RowEncoderTest.CARD.patchSize(), 1);
        List<ImageOutcome> outcomes = List.of(
                new Explained(a, pixel, "{}", 3.0, null),
                new Explained(a, renamed(patch, "occlusion"), "{\"window\":8}", 4.0, null),
                new Explained(b, patch, "{}", 5.0, null),
                new Failed(a, "method", "lime", "IllegalStateException", "boom"),
                new Finished(a, Status.FAILED),
                new Failed(b, "read", null, "IOException", "unreadable"));
        return new RowEncoder(RowEncoderTest.RUN, RowEncoderTest.CARD).encode(outcomes, Arrays.asList("/in/a.png", null));
    }

    private static Attribution renamed(Attribution a, String method) {
        return new Attribution(method, a.params(), a.granularity(), a.gridHeight(), a.gridWidth(), a.cellSize(), a.scores(),
                a.target(), a.targetScore(), a.modelPasses(), a.completenessGap());
    }

    @Test
    void wideFilesAreTheOnesSparkWroteFromTheTaskOutput() throws IOException {
        SparkSession spark = JobTests.spark();
        Path root = written(spark, JobConfig.Layout.WIDE);
        Dataset<Row> taskOutput = taskOutput(spark);
        Path ref = dir.resolve("reference");
        taskOutput.filter(col("kind").equalTo(Schemas.ATTRIBUTION)).select(columns(Schemas.WIDE))
                .write().partitionBy("method").parquet(ref.resolve("attributions").toString());
        taskOutput.filter(col("kind").equalTo(Schemas.ERROR)).select(columns(Schemas.ERRORS))
                .write().parquet(ref.resolve("errors").toString());

        assertSameFooter(ref.resolve("attributions/method=saliency"), root.resolve("attributions/method=saliency"));
        assertSameFooter(ref.resolve("errors"), root.resolve("errors"));
        assertEquals(rows(spark, ref.resolve("attributions"), "image_id", "method"),
                rows(spark, root.resolve("attributions"), "image_id", "method"), "attribution rows");
        assertEquals(rows(spark, ref.resolve("errors"), "image_id"), rows(spark, root.resolve("errors"), "image_id"), "error rows");
        assertTrue(Files.isDirectory(root.resolve("attributions/method=occlusion")));

        List<Row> back = rows(spark, root.resolve("attributions"), "image_id", "method");
        assertEquals(3, back.size());
        Row pixelRow = back.stream().filter(r -> "PIXEL".equals(r.getAs("granularity"))).findFirst().orElseThrow();
        Row patchRow = back.stream().filter(r -> "b".equals(r.getAs("image_id"))).findFirst().orElseThrow();
        ImageGeometry off = RowEncoderTest.offSize();
        assertUnits(pixelRow, 1, off);
        assertUnits(patchRow, RowEncoderTest.CARD.patchSize(), off);
        List<Float> scores = pixelRow.getList(pixelRow.fieldIndex("scores"));
        float[] s = new float[scores.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = scores.get(i);
        }
        assertArrayEquals(RowEncoderTest.attribution(Granularity.PIXEL, 1, 0).scores(), s);
        assertEquals("run", pixelRow.getAs("run_id"));
        assertEquals("/in/a.png", pixelRow.getAs("source_path"));
        assertEquals(300, (int) pixelRow.getAs("image_width"));
        assertEquals(2L, (long) pixelRow.getAs("model_passes"));
        assertNull(pixelRow.getAs("deletion_auc"));
        List<Row> errors = rows(spark, root.resolve("errors"), "image_id");
        assertEquals(List.of("boom", "unreadable"), errors.stream().map(r -> r.<String>getAs("message")).toList());
        assertEquals("lime", errors.get(0).getAs("method"));
    }

    @Test
    void longFilesAreTheExplodedWideRowsAndReadBackWide() throws IOException {
        SparkSession spark = JobTests.spark();
        Path root = written(spark, JobConfig.Layout.LONG);
        Path ref = dir.resolve("reference-long");
        toLong(taskOutput(spark).filter(col("kind").equalTo(Schemas.ATTRIBUTION)).select(columns(Schemas.WIDE)))
                .write().partitionBy("method").parquet(ref.toString());
        assertSameFooter(ref.resolve("method=saliency"), root.resolve("attributions/method=saliency"));
        List<Row> expected = spark.read().parquet(ref.toString()).orderBy("image_id", "method", "unit").collectAsList();
        List<Row> actual = spark.read().parquet(root.resolve("attributions").toString())
                .orderBy("image_id", "method", "unit").collectAsList();
        assertEquals(64 * 64 + 2 * 64, expected.size()); // a PIXEL row of 64×64 units, two PATCH rows of 8×8
        assertEquals(expected, actual);

        // the report's view: the unit rows grouped back are the wide rows
        List<Row> wide = RunRows.attributions(spark, FileSystem.getLocal(new Configuration()),
                new org.apache.hadoop.fs.Path(root.toUri()), JobConfig.Layout.LONG, "run")
                .orderBy("image_id", "method").collectAsList();
        List<Row> direct = taskOutput(spark).filter(col("kind").equalTo(Schemas.ATTRIBUTION)).select(columns(Schemas.WIDE))
                .orderBy("image_id", "method").collectAsList();
        assertEquals(direct, wide);
        assertEquals(0, RunRows.attributions(spark, FileSystem.getLocal(new Configuration()),
                new org.apache.hadoop.fs.Path(root.toUri()), JobConfig.Layout.LONG, "another-run").count());
    }

    @Test
    void aWaveCommitsOnlyTheFilesItsSuccessfulAttemptsReported() throws IOException {
        SparkSession spark = JobTests.spark();
        Path root = dir.resolve("out");
        FileSystem fs = FileSystem.getLocal(new Configuration());
        TableFiles tables = TableFiles.prepare(spark, JobConfig.Layout.WIDE);
        WaveCommitter committer = new WaveCommitter(fs, new org.apache.hadoop.fs.Path(root.toUri()), tables);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String attempts = committer.attempts("w0").toString();
        JavaRDD<TaskFiles> tasks = jsc.parallelize(taskRows(), 2).mapPartitions(new TaskTables(jsc.broadcast(tables), attempts, "w0"));
        WaveCommitter.Staged staged = committer.submit(tasks, "w0").await();
        // a failed attempt's file, left behind in the attempt folder
        Path stray = Path.of(URI.create(attempts)).resolve("attributions/method=saliency/part-00000-w0-a1.c000.parquet");
        Files.createDirectories(stray.getParent());
        Files.write(stray, new byte[] {1, 2, 3});
        WaveCommitter.Committed c = committer.commit(staged);
        assertEquals(3, c.attributionRows());
        assertEquals(2, c.errorRows());
        assertFalse(Files.exists(root.resolve(WaveCommitter.WAVES + "/w0")), "the wave folder is removed");
        try (Stream<Path> files = Files.walk(root.resolve("attributions"))) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains("-a1.")), "the failed attempt's file is not committed");
        }
        assertEquals(3, spark.read().parquet(root.resolve("attributions").toString()).count());

        // a wave without errors still leaves errors/ readable (one empty file with the schema) in a new folder
        Path clean = dir.resolve("clean");
        WaveCommitter second = new WaveCommitter(fs, new org.apache.hadoop.fs.Path(clean.toUri()), tables);
        List<InternalRow> noErrors = taskRows().subList(0, 3);
        second.commit(second.submit(jsc.parallelize(noErrors, 1).mapPartitions(
                new TaskTables(jsc.broadcast(tables), second.attempts("w0").toString(), "w0")), "w0").await());
        Dataset<Row> errors = spark.read().parquet(clean.resolve("errors").toString());
        assertEquals(0, errors.count());
        assertEquals(Schemas.ERRORS.fieldNames().length, errors.schema().fieldNames().length);
    }

    /** The rows through the tasks' writers into a committed folder; its path. */
    private Path written(SparkSession spark, JobConfig.Layout layout) throws IOException {
        Path root = dir.resolve("out-" + layout);
        TableFiles tables = TableFiles.prepare(spark, layout);
        WaveCommitter committer = new WaveCommitter(FileSystem.getLocal(new Configuration()),
                new org.apache.hadoop.fs.Path(root.toUri()), tables);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<TaskFiles> tasks = jsc.parallelize(taskRows(), 2)
                .mapPartitions(new TaskTables(jsc.broadcast(tables), committer.attempts("w0").toString(), "w0"));
        committer.commit(committer.submit(tasks, "w0").await());
        return root;
    }

    /**
     * The same task rows as the reference path had them: written as the wave's task output, read back
     * with {@link Schemas#TASK_OUTPUT} (Spark's internal rows as they are, through the API the job used).
     */
    private Dataset<Row> taskOutput(SparkSession spark) {
        Path task = dir.resolve("task-output");
        if (!Files.exists(task)) {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            ((org.apache.spark.sql.classic.SparkSession) spark)
                    .internalCreateDataFrame(jsc.parallelize(taskRows(), 2).rdd(), Schemas.TASK_OUTPUT, false)
                    .write().parquet(task.toString());
        }
        return spark.read().schema(Schemas.TASK_OUTPUT).parquet(task.toString());
    }

    /** The long layout as the job made it before issue 16 (Spark SQL). */
    private static Dataset<Row> toLong(Dataset<Row> wide) {
        List<Column> first = new ArrayList<>();
        for (StructField f : Schemas.WIDE.fields()) {
            if (!f.name().equals("scores") && !f.name().equals("units")) {
                first.add(col(f.name()));
            }
        }
        first.add(posexplode(arrays_zip(col("units"), col("scores"))).as(new String[] {"unit", "u"}));
        Dataset<Row> exploded = wide.select(first.toArray(Column[]::new));
        List<Column> cols = new ArrayList<>();
        for (StructField f : Schemas.LONG.fields()) {
            String n = f.name();
            Column c = switch (n) {
                case "unit" -> col("unit");
                case "score" -> col("u.scores");
                case "row", "col", "y0", "x0", "y1", "x1", "oy0", "ox0", "oy1", "ox1" -> col("u.units." + n);
                default -> col(n);
            };
            cols.add(c.cast(f.dataType()).as(n));
        }
        return exploded.select(cols.toArray(Column[]::new));
    }

    private static List<Row> rows(SparkSession spark, Path table, String first, String... then) {
        return spark.read().parquet(table.toString()).orderBy(first, then).collectAsList();
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

    private static Column[] columns(StructType schema) {
        return Arrays.stream(schema.fieldNames()).map(n -> col(n)).toArray(Column[]::new);
    }

    private static void assertSameFooter(Path expected, Path actual) throws IOException {
        FileMetaData theirs = footer(expected);
        FileMetaData ours = footer(actual);
        assertEquals(theirs.getSchema(), ours.getSchema(), "Parquet schema");
        assertNotNull(ours.getKeyValueMetaData().get(SPARK_SCHEMA));
        assertEquals(theirs.getKeyValueMetaData().get(SPARK_SCHEMA), ours.getKeyValueMetaData().get(SPARK_SCHEMA));
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
