package dev.vitex.jobs;

import static dev.vitex.jobs.JobTests.args;
import static dev.vitex.jobs.JobTests.attributions;
import static dev.vitex.jobs.JobTests.errors;
import static dev.vitex.jobs.JobTests.manifest;
import static dev.vitex.jobs.JobTests.run;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.grid.Unit;
import dev.vitex.core.grid.UnitGrid;
import dev.vitex.core.image.PreprocessedImage;
import dev.vitex.core.image.Preprocessor;
import dev.vitex.core.method.Attribution;
import dev.vitex.core.method.ExplainContext;
import dev.vitex.core.method.ExplainItem;
import dev.vitex.core.method.Methods;
import dev.vitex.core.model.InferenceMode;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.model.TargetSelector;
import dev.vitex.core.model.VitModel;
import dev.vitex.jobs.executor.ModelRef;
import dev.vitex.jobs.output.Schemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job end to end in local[2] on the bundled samples plus odd and broken files, read back from
 * real Parquet: exact columns, row counts, error rows with stages, scores equal to the core
 * library's own output, independence from partitioning, layouts and write modes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AttributionJobTest {
    static final List<String> METHODS = List.of("saliency", "integrated_gradients", "occlusion");
    static final Map<String, String> IG = Map.of("steps", "8");
    static final long MAX_PIXELS = 100_000;

    @TempDir
    static Path tmp;
    Path input;
    Map<String, String> odd;
    Map<String, Path> samples;
    ModelCard card;
    Path e2e;

    @BeforeAll
    void setUp() throws IOException {
        JobTests.spark();
        input = JobTests.copySamples(Files.createDirectories(tmp.resolve("in")));
        samples = JobTests.sampleImages(input);
        odd = JobTests.addOddFiles(input, samples.values().iterator().next());
        card = ModelCard.load(JobTests.shapesCard());
    }

    private List<String> base(Path out) {
        return List.of("run", "--input", input.toString(), "--model", JobTests.shapesCard().toString(),
                "--output", out.toString(), "--methods", String.join(",", METHODS),
                "--param", "integrated_gradients.steps=8", "--set", "decode.max_pixels=" + MAX_PIXELS,
                "--batch-size", "32", "--set", "images_per_batch=5");
    }

    /** The reference run: top-2 targets, 3 partitions (run once, used by several tests). */
    private synchronized Path e2e() {
        if (e2e == null) {
            Path out = tmp.resolve("e2e");
            run(args(base(out), "--targets", "top:2", "--partitions", "3")).expectOk();
            e2e = out;
        }
        return e2e;
    }

    private long goodImages() {
        return samples.size() + odd.values().stream().filter(v -> v == null).count();
    }

    @Test
    void columnsAreExactlyThoseOfTheDesign() {
        Path out = e2e();
        // Spark reads the partition column `method` last; every other column keeps the design's order.
        List<String> expected = new ArrayList<>();
        for (StructField f : Schemas.WIDE.fields()) {
            if (!f.name().equals("method")) {
                expected.add(f.name() + ":" + f.dataType().simpleString());
            }
        }
        expected.add("method:string");
        List<String> got = new ArrayList<>();
        for (StructField f : attributions(out).schema().fields()) {
            got.add(f.name() + ":" + f.dataType().simpleString());
        }
        assertEquals(expected, got);
        assertEquals(List.of(
                "run_id", "image_id", "source_path", "image_sha256", "image_width", "image_height", "model_name",
                "model_sha256", "method", "params", "granularity", "grid_height", "grid_width", "patch_size", "input_height",
                "input_width", "inference_mode", "target", "target_label", "target_score", "predicted", "predicted_label",
                "predicted_score", "scores", "units", "deletion_auc", "insertion_auc", "model_passes", "elapsed_ms",
                "completeness_gap"), List.of(Schemas.WIDE.fieldNames()));
        assertEquals("array<struct<row:int,col:int,y0:int,x0:int,y1:int,x1:int,oy0:float,ox0:float,oy1:float,ox1:float>>",
                attributions(out).schema().apply("units").dataType().simpleString());
        assertEquals("array<float>", attributions(out).schema().apply("scores").dataType().simpleString());
        List<String> errorColumns = new ArrayList<>();
        for (StructField f : errors(out).schema().fields()) {
            errorColumns.add(f.name() + ":" + f.dataType().simpleString());
        }
        assertEquals(List.of("run_id:string", "image_id:string", "source_path:string", "stage:string", "method:string",
                "error_class:string", "message:string"), errorColumns);
    }

    @Test
    void everyImageIsExplainedOrAnErrorRow() {
        Path out = e2e();
        Dataset<Row> a = attributions(out);
        long images = goodImages();
        assertEquals(images * METHODS.size() * 2, a.count(), "rows = images × methods × targets");
        for (String m : METHODS) {
            assertEquals(images * 2, a.filter(col("method").equalTo(m)).count(), m);
        }
        assertEquals(images, a.select("image_id").distinct().count());
        Map<String, Row> errs = new HashMap<>();
        for (Row r : errors(out).collectAsList()) {
            errs.put(r.getString(r.fieldIndex("image_id")), r);
        }
        for (var e : odd.entrySet()) {
            if (e.getValue() == null) {
                assertEquals(METHODS.size() * 2L, a.filter(col("image_id").equalTo(e.getKey())).count(), e.getKey());
                assertNull(errs.get(e.getKey()), e.getKey() + " must work");
            } else {
                Row r = errs.get(e.getKey());
                assertNotNull(r, e.getKey() + " must be an error row");
                assertEquals(e.getValue(), r.getString(r.fieldIndex("stage")), e.getKey());
                assertTrue(r.getString(r.fieldIndex("message")).length() > 5);
                assertTrue(r.getString(r.fieldIndex("source_path")).endsWith(e.getKey()));
            }
        }
        assertEquals(odd.values().stream().filter(v -> v != null).count(), errs.size(), "error rows: " + errs.keySet());
        assertTrue(errs.get("extra/zero.png").getString(6).contains("0 bytes"));
        assertTrue(errs.get("extra/big.png").getString(6).contains("decode cap"), errs.get("extra/big.png").getString(6));

        JsonObject m = manifest(out);
        assertEquals("succeeded", m.get("status").getAsString());
        JsonObject counts = m.getAsJsonObject("counts");
        long read = counts.get("images_read").getAsLong();
        assertEquals(samples.size() + odd.size(), read);
        assertEquals(read, counts.get("images_explained").getAsLong() + counts.get("images_failed").getAsLong());
        assertEquals(images, counts.get("images_explained").getAsLong());
        assertEquals(1, counts.getAsJsonObject("files_skipped").get(".csv").getAsLong(), "boxes.csv is skipped and counted");
        assertEquals(odd.values().stream().filter(v -> v != null).count(),
                counts.getAsJsonObject("errors_by_stage").get("decode").getAsLong());
        for (String method : METHODS) {
            assertEquals(images * 2, counts.getAsJsonObject("rows_per_method").get(method).getAsLong());
        }
        assertEquals(ModelRef.sha256(card.modelFile()), m.getAsJsonObject("model").get("sha256").getAsString());
        JsonObject versions = m.getAsJsonObject("versions");
        for (String k : List.of("vitex", "spark", "djl", "libtorch")) {
            assertTrue(versions.has(k) && !versions.get(k).getAsString().isBlank(), k);
        }
        assertEquals("4.1.0", versions.get("spark").getAsString());
        assertEquals(8, m.getAsJsonObject("config").getAsJsonObject("params").getAsJsonObject("integrated_gradients")
                .get("steps").getAsInt());
        assertTrue(m.getAsJsonObject("timings").get("total_ms").getAsLong() > 0);
        assertEquals(3, m.getAsJsonObject("output").get("partitions").getAsInt());
    }

    /** Every row equals what the core library computes for that image alone (≤ 1e-5). */
    @Test
    void scoresEqualTheCoreLibrarysDirectOutput() throws IOException {
        Path out = e2e();
        Map<String, Row> rows = new HashMap<>();
        for (Row r : attributions(out).collectAsList()) {
            rows.put(r.getString(r.fieldIndex("image_id")) + "|" + r.getString(r.fieldIndex("method")) + "|"
                    + r.getInt(r.fieldIndex("target")), r);
        }
        Map<String, Path> images = new TreeMap<>(samples);
        for (var e : odd.entrySet()) {
            if (e.getValue() == null) {
                images.put(e.getKey(), input.resolve(e.getKey()));
            }
        }
        Preprocessor pre = new Preprocessor(card, MAX_PIXELS);
        float worst = 0;
        int compared = 0;
        try (VitModel model = VitModel.load(card)) {
            ExplainContext context = new ExplainContext(model, InferenceMode.LOGITS, 32, Granularity.PATCH, 0L);
            TargetSelector selector = new TargetSelector(model, InferenceMode.LOGITS, 32);
            for (var image : images.entrySet()) {
                byte[] bytes = Files.readAllBytes(image.getValue());
                PreprocessedImage p = pre.preprocess(bytes);
                TargetSelector.ClassScores cs = selector.classScores(List.of(p.input())).get(0);
                int[] targets = cs.top(2);
                for (String method : METHODS) {
                    List<Attribution> direct = Methods.create(method, method.equals("integrated_gradients") ? IG : Map.of(), card)
                            .explain(context, List.of(new ExplainItem(ModelRef.sha256(bytes), p.input(), targets)));
                    for (Attribution a : direct) {
                        Row r = rows.get(image.getKey() + "|" + method + "|" + a.target());
                        assertNotNull(r, image.getKey() + " " + method + " target " + a.target());
                        float[] scores = JobTests.floats(r.getList(r.fieldIndex("scores")));
                        float d = JobTests.maxAbsDiff(scores, a.scores());
                        worst = Math.max(worst, d);
                        assertTrue(d <= 1e-5, image.getKey() + " " + method + ": max |Δ| = " + d);
                        assertEquals(a.targetScore(), r.getFloat(r.fieldIndex("target_score")), 1e-5);
                        assertEquals(cs.predicted(), r.getInt(r.fieldIndex("predicted")));
                        assertEquals(cs.score(cs.predicted()), r.getFloat(r.fieldIndex("predicted_score")), 1e-5);
                        assertEquals(card.label(a.target()), r.getString(r.fieldIndex("target_label")));
                        assertEquals(a.modelPasses(), r.getLong(r.fieldIndex("model_passes")));
                        assertEquals(a.params(), r.getString(r.fieldIndex("params")));
                        assertEquals(ModelRef.sha256(bytes), r.getString(r.fieldIndex("image_sha256")));
                        assertEquals(p.geometry().originalWidth(), r.getInt(r.fieldIndex("image_width")));
                        assertEquals(p.geometry().originalHeight(), r.getInt(r.fieldIndex("image_height")));
                        assertEquals(a.gridHeight(), r.getInt(r.fieldIndex("grid_height")));
                        assertEquals("PATCH", r.getString(r.fieldIndex("granularity")));
                        assertEquals(method.equals("integrated_gradients"), !r.isNullAt(r.fieldIndex("completeness_gap")));
                        assertTrue(r.isNullAt(r.fieldIndex("deletion_auc")) && r.isNullAt(r.fieldIndex("insertion_auc")));
                        List<Unit> units = new UnitGrid(a.granularity(), a.cellSize(), card.inputHeight(), card.inputWidth())
                                .units(p.geometry());
                        List<Row> got = r.getList(r.fieldIndex("units"));
                        assertEquals(units.size(), got.size());
                        Unit u = units.get(units.size() - 1);
                        Row g = got.get(got.size() - 1);
                        assertEquals(List.of(u.row(), u.col(), u.y0(), u.x0(), u.y1(), u.x1()),
                                List.of(g.getInt(0), g.getInt(1), g.getInt(2), g.getInt(3), g.getInt(4), g.getInt(5)));
                        assertEquals(u.oy1(), g.getFloat(8), 1e-4);
                        assertEquals(u.ox1(), g.getFloat(9), 1e-4);
                        compared++;
                    }
                }
            }
        }
        System.out.printf("compared %d rows with the core library: max |Δscore| = %.3g%n", compared, worst);
        assertEquals(goodImages() * METHODS.size() * 2, compared);
    }

    /** The Spark SQL example of README.md § Reading results runs on real output. */
    @Test
    void readmeSparkExampleRuns() throws IOException {
        String readme = Files.readString(JobTests.root().resolve("README.md"));
        int at = readme.indexOf("spark.sql(\"\"\"");
        assertTrue(at > 0, "README has a spark.sql example");
        String sql = readme.substring(at + "spark.sql(\"\"\"".length(), readme.indexOf("\"\"\")", at));
        attributions(e2e()).createOrReplaceTempView("attributions");
        List<Row> rows = JobTests.spark().sql(sql).collectAsList();
        assertEquals(METHODS.size(), rows.size());
        for (Row r : rows) {
            assertEquals(goodImages() * 2, r.getLong(1));
            assertTrue(!r.isNullAt(4), r.toString());
        }
    }

    @Test
    void onePartitionAndThreeGiveTheSameScores() {
        Path one = tmp.resolve("one-partition");
        run(args(base(one), "--targets", "top:2", "--partitions", "1")).expectOk();
        Map<String, float[]> a = scores(e2e());
        Map<String, float[]> b = scores(one);
        assertEquals(a.keySet(), b.keySet());
        float worst = 0;
        int identical = 0;
        for (String k : a.keySet()) {
            float d = JobTests.maxAbsDiff(a.get(k), b.get(k));
            worst = Math.max(worst, d);
            identical += d == 0 ? 1 : 0;
        }
        System.out.printf("1 vs 3 partitions: %d of %d rows bit-identical, max |Δ| = %.3g%n", identical, a.size(), worst);
        assertTrue(worst <= 1e-6, "max |Δ| = " + worst);
        assertEquals(1, manifest(one).getAsJsonObject("output").get("partitions").getAsInt());
    }

    private static Map<String, float[]> scores(Path out) {
        Map<String, float[]> m = new TreeMap<>();
        for (Row r : attributions(out).select("image_id", "method", "target", "scores").collectAsList()) {
            m.put(r.getString(0) + "|" + r.getString(1) + "|" + r.getInt(2), JobTests.floats(r.getList(3)));
        }
        return m;
    }

    /** --metrics: AUCs equal the core library's MetricsEvaluator; --report: the page and every PNG it links. */
    @Test
    void metricsAndReport() throws IOException {
        Path out = tmp.resolve("metrics-report");
        run("run", "--input", input.toString(), "--model", JobTests.shapesCard().toString(), "--output", out.toString(),
                "--methods", "saliency,occlusion", "--metrics", "deletion,insertion", "--report",
                "--set", "decode.max_pixels=" + MAX_PIXELS).expectOk();
        List<Row> rows = attributions(out).select("image_id", "method", "deletion_auc", "insertion_auc").collectAsList();
        assertEquals(goodImages() * 2, rows.size());
        Map<String, double[]> aucs = new HashMap<>();
        for (Row r : rows) {
            assertTrue(!r.isNullAt(2) && !r.isNullAt(3), r.toString());
            assertTrue(r.getDouble(2) >= 0 && r.getDouble(2) <= 1 && r.getDouble(3) >= 0 && r.getDouble(3) <= 1, r.toString());
            aucs.put(r.getString(0) + "|" + r.getString(1), new double[] {r.getDouble(2), r.getDouble(3)});
        }
        // the core library, directly, on two images
        Preprocessor pre = new Preprocessor(card, MAX_PIXELS);
        try (VitModel model = VitModel.load(card)) {
            ExplainContext context = new ExplainContext(model, InferenceMode.LOGITS, 64, Granularity.PATCH, 0L);
            TargetSelector selector = new TargetSelector(model, InferenceMode.LOGITS, 64);
            for (String id : new ArrayList<>(samples.keySet()).subList(0, 2)) {
                byte[] bytes = Files.readAllBytes(samples.get(id));
                PreprocessedImage p = pre.preprocess(bytes);
                int target = selector.classScores(List.of(p.input())).get(0).predicted();
                ExplainItem item = new ExplainItem(ModelRef.sha256(bytes), p.input(), new int[] {target});
                List<Attribution> a = Methods.create("occlusion", Map.of(), card).explain(context, List.of(item));
                var q = new dev.vitex.core.metric.MetricsEvaluator().evaluate(context, List.of(item), a).get(0);
                assertEquals(q.deletionAuc(), aucs.get(id + "|occlusion")[0], 1e-6, id);
                assertEquals(q.insertionAuc(), aucs.get(id + "|occlusion")[1], 1e-6, id);
            }
        }
        JsonObject m = manifest(out);
        assertEquals(goodImages() * 2 * 2 * 33, m.getAsJsonObject("metrics").get("model_passes").getAsLong(),
                "2 curves × (32 steps + 1) per row");
        Path index = out.resolve("report/index.html");
        assertTrue(Files.isRegularFile(index));
        assertEquals(goodImages(), m.getAsJsonObject("report").get("images_shown").getAsLong());
        String html = Files.readString(index);
        java.util.regex.Matcher links = java.util.regex.Pattern.compile("(?:src|href)=\"(img/[^\"]+)\"").matcher(html);
        int linked = 0;
        while (links.find()) {
            assertTrue(Files.isRegularFile(out.resolve("report").resolve(links.group(1))), links.group(1));
            linked++;
        }
        assertTrue(linked >= goodImages() * 3, "original + one heatmap per method and image: " + linked);
        assertTrue(html.contains("extra/zero.png"), "errors are listed");
    }

    @Test
    void longLayoutHasOneRowPerUnit() {
        Path wide = e2e();
        Path out = tmp.resolve("long");
        run(args(base(out), "--targets", "top:2", "--layout", "long", "--methods", "occlusion")).expectOk();
        Dataset<Row> rows = attributions(out);
        List<String> names = List.of(rows.schema().fieldNames());
        for (String c : List.of("unit", "row", "col", "y0", "x0", "y1", "x1", "oy0", "ox0", "oy1", "ox1", "score")) {
            assertTrue(names.contains(c), c);
        }
        assertTrue(!names.contains("scores") && !names.contains("units"));
        assertEquals(DataTypes.FloatType, rows.schema().apply("score").dataType());
        Map<String, float[]> expected = scores(wide);
        long units = 0;
        Map<String, float[]> got = new HashMap<>();
        for (Row r : rows.select("image_id", "method", "target", "unit", "score", "grid_width", "row", "col").collectAsList()) {
            String k = r.getString(0) + "|" + r.getString(1) + "|" + r.getInt(2);
            float[] s = got.computeIfAbsent(k, x -> new float[expected.get(x).length]);
            s[r.getInt(3)] = r.getFloat(4);
            assertEquals(r.getInt(3), r.getInt(6) * r.getInt(5) + r.getInt(7), "unit = row × grid_width + col");
            units++;
        }
        assertEquals(goodImages() * 2 * expected.values().iterator().next().length, units);
        for (var e : got.entrySet()) {
            assertEquals(0f, JobTests.maxAbsDiff(e.getValue(), expected.get(e.getKey())), e.getKey());
        }
    }

    @Test
    void resumeSkipsFinishedWorkAndAppendAdds() throws IOException {
        // An "interrupted" first run: saliency on 5 of the images only (a glob under the same input root:
        // resume refuses another root).
        Path out = tmp.resolve("resume");
        Path all = JobTests.copySamples(Files.createDirectories(tmp.resolve("all")));
        String partial = all.resolve("[c]ross").resolve("img_0[0-4].png").toString();
        List<String> common = List.of("run", "--model", JobTests.shapesCard().toString(), "--output", out.toString());
        run(args(common, "--input", partial, "--methods", "saliency")).expectOk();
        assertEquals(5, attributions(out).count());

        // Resume with every image and one more method: saliency only for the new images, occlusion for all.
        run(args(common, "--input", all.toString(), "--methods", "saliency,occlusion", "--mode", "resume")).expectOk();
        JsonObject m = manifest(out).getAsJsonObject("counts");
        assertEquals(samples.size() - 5, m.getAsJsonObject("rows_per_method").get("saliency").getAsLong());
        assertEquals(samples.size(), m.getAsJsonObject("rows_per_method").get("occlusion").getAsLong());
        Dataset<Row> a = attributions(out);
        assertEquals(samples.size(), a.filter(col("method").equalTo("saliency")).count(), "no saliency row twice");
        assertEquals(samples.size(), a.filter(col("method").equalTo("saliency")).select("image_id").distinct().count());
        assertEquals(samples.size(), a.filter(col("method").equalTo("occlusion")).count());
        assertEquals(2, Files.list(out.resolve("_manifests")).count(), "one manifest per run");

        // Resume again: everything is done, no image is even read.
        run(args(common, "--input", all.toString(), "--methods", "saliency,occlusion", "--mode", "resume")).expectOk();
        m = manifest(out).getAsJsonObject("counts");
        assertEquals(0, m.get("images_read").getAsLong());
        assertEquals(samples.size(), m.get("images_already_done").getAsLong());
        assertEquals(2L * samples.size(), attributions(out).count());

        // Resume with other parameters is refused before Spark runs anything.
        JobTests.Run refused = run(args(common, "--input", all.toString(), "--methods", "occlusion", "--mode", "resume",
                "--param", "occlusion.baseline=0.5"));
        assertEquals(2, refused.status(), refused.err());
        assertTrue(refused.err().contains("params"), refused.err());

        // Append adds every row again.
        run(args(common, "--input", all.toString(), "--methods", "saliency", "--mode", "append")).expectOk();
        assertEquals(2L * samples.size(), attributions(out).filter(col("method").equalTo("saliency")).count());
    }

    @Test
    void parquetInputWithLabelColumn() throws IOException {
        List<Row> rows = new ArrayList<>();
        for (var e : samples.entrySet()) {
            String label = e.getKey().substring(0, e.getKey().indexOf('/'));
            rows.add(RowFactory.create(e.getKey(), Files.readAllBytes(e.getValue()), label));
        }
        rows.add(RowFactory.create("zebra-1", Files.readAllBytes(samples.values().iterator().next()), "zebra"));
        rows.add(RowFactory.create("missing-bytes", null, card.labels().get(0)));
        rows.add(RowFactory.create("by-index", Files.readAllBytes(samples.values().iterator().next()), "1"));
        StructType schema = new StructType()
                .add("id", DataTypes.StringType).add("bytes", DataTypes.BinaryType).add("label", DataTypes.StringType);
        Path data = tmp.resolve("images.parquet");
        JobTests.spark().createDataFrame(rows, schema).repartition(2).write().parquet(data.toString());
        Path out = tmp.resolve("from-parquet");
        run("run", "--input", data.toString(), "--model", JobTests.shapesCard().toString(), "--output", out.toString(),
                "--methods", "saliency", "--targets", "label").expectOk();
        Dataset<Row> a = attributions(out);
        assertEquals(samples.size() + 1, a.count());
        for (Row r : a.select("image_id", "target", "target_label", "source_path").collectAsList()) {
            String id = r.getString(0);
            String label = id.equals("by-index") ? card.labels().get(1) : id.substring(0, id.indexOf('/'));
            assertEquals(label, r.getString(2), id);
            assertEquals(card.labels().indexOf(label), r.getInt(1), id);
            assertTrue(r.getString(3).contains("images.parquet"), r.getString(3));
        }
        Map<String, Row> errs = new HashMap<>();
        for (Row r : errors(out).collectAsList()) {
            errs.put(r.getString(1), r);
        }
        assertEquals(2, errs.size(), errs.keySet().toString());
        assertEquals("read", errs.get("zebra-1").getString(3));
        assertTrue(errs.get("zebra-1").getString(6).contains("unknown label \"zebra\""), errs.get("zebra-1").getString(6));
        assertEquals("read", errs.get("missing-bytes").getString(3));

        // Hugging Face datasets store images as struct<bytes: binary, path: string>; ids may be numbers
        List<Row> hf = new ArrayList<>();
        int n = 0;
        for (Path f : new ArrayList<>(samples.values()).subList(0, 3)) {
            hf.add(RowFactory.create(n++, RowFactory.create(Files.readAllBytes(f), f.getFileName().toString())));
        }
        StructType hfSchema = new StructType().add("idx", DataTypes.IntegerType)
                .add("image", new StructType().add("bytes", DataTypes.BinaryType).add("path", DataTypes.StringType));
        Path hfData = tmp.resolve("hf.parquet");
        JobTests.spark().createDataFrame(hf, hfSchema).write().parquet(hfData.toString());
        Path hfOut = tmp.resolve("from-hf");
        run("run", "--input", hfData.toString(), "--model", JobTests.shapesCard().toString(), "--output", hfOut.toString(),
                "--methods", "saliency", "--set", "parquet.id_column=idx", "--set", "parquet.bytes_column=image").expectOk();
        assertEquals(List.of("0", "1", "2"), attributions(hfOut).select("image_id").orderBy("image_id")
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    }

    /**
     * Parquet ids must be unique and non-empty (a clear refusal, exit status 2, one line naming the
     * column); a cell above decode.max_file_bytes is an error row (stage read) and the rest are explained.
     */
    @Test
    void parquetIdsAndByteCap() throws IOException {
        byte[] png = Files.readAllBytes(samples.values().iterator().next());
        StructType schema = new StructType().add("id", DataTypes.StringType).add("bytes", DataTypes.BinaryType);
        Path out = tmp.resolve("parquet-ids-out");
        for (List<Row> bad : List.of(
                List.of(RowFactory.create("a", png), RowFactory.create("a", png), RowFactory.create("b", png)),
                List.of(RowFactory.create("a", png), RowFactory.create(null, png)),
                List.of(RowFactory.create("a", png), RowFactory.create(" ", png)))) {
            Path data = tmp.resolve("ids-" + UUID.randomUUID() + ".parquet");
            JobTests.spark().createDataFrame(bad, schema).write().parquet(data.toString());
            JobTests.Run r = run("run", "--input", data.toString(), "--model", JobTests.shapesCard().toString(),
                    "--output", out.toString(), "--methods", "saliency", "--mode", "overwrite");
            assertEquals(AttributionJob.BAD_CONFIG, r.status(), r.err());
            String err = r.err().strip();
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.contains("column \"id\"") && (err.contains("duplicate ids, e.g. \"a\" ×2")
                    || err.contains("1 null or empty id(s)")), err);
        }
        byte[] big = new byte[png.length + 1000];
        System.arraycopy(png, 0, big, 0, png.length); // a valid PNG with trailing bytes, above the cap below
        Path data = tmp.resolve("capped.parquet");
        JobTests.spark().createDataFrame(List.of(RowFactory.create("small", png), RowFactory.create("big", big)), schema)
                .write().parquet(data.toString());
        run("run", "--input", data.toString(), "--model", JobTests.shapesCard().toString(), "--output", out.toString(),
                "--methods", "saliency", "--set", "decode.max_file_bytes=" + (png.length + 10)).expectOk();
        assertEquals(List.of("small"), attributions(out).select("image_id").as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList());
        Row err = errors(out).collectAsList().get(0);
        assertEquals("big", err.getString(1));
        assertEquals("read", err.getString(3));
        assertTrue(err.getString(6).contains("decode.max_file_bytes"), err.getString(6));
    }

    @Test
    void folderNamesAreLabels() {
        Path out = tmp.resolve("labels");
        run("run", "--input", input.toString(), "--model", JobTests.shapesCard().toString(), "--output", out.toString(),
                "--methods", "saliency", "--targets", "label", "--set", "decode.max_pixels=" + MAX_PIXELS).expectOk();
        List<Row> rows = attributions(out).select("image_id", "target_label").collectAsList();
        assertEquals(samples.size(), rows.size());
        for (Row r : rows) {
            assertTrue(r.getString(0).startsWith(r.getString(1) + "/"), r.toString());
        }
        // extra/ is not a class of the model: every file in it is an error row (stage read), whatever its content
        List<Row> errs = errors(out).collectAsList();
        assertEquals(odd.size(), errs.size());
        for (Row r : errs) {
            assertEquals("read", r.getString(3), r.toString());
            assertTrue(r.getString(6).contains("unknown label \"extra\""), r.getString(6));
        }
    }
}
