package dev.vitex.jobs;

import static org.apache.spark.sql.functions.expr;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitex.jobs.config.JobConfig;
import dev.vitex.jobs.driver.DatasetWaves;
import dev.vitex.jobs.driver.ListedWaves;
import dev.vitex.jobs.driver.WavePlan;
import dev.vitex.jobs.input.ImageSource;
import dev.vitex.jobs.output.Schemas;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The waves of an image folder are made on the driver (issue 16, start-up): the wave rule computed in Java
 * must be Spark SQL's {@code pmod(xxhash64(image_id), waves)} (a resumed or Parquet run assigns waves in
 * Spark), and each wave must reach the tasks whole, once, spread evenly, with fields readable by name.
 */
class WaveInputsTest {
    /** A few hundred ids: ASCII paths, non-ASCII names (2-, 3- and 4-byte UTF-8), spaces, odd lengths, the empty id. */
    static List<String> ids() {
        List<String> ids = new ArrayList<>(List.of("", "a", "square/img_00.png", "deep/er one/UPPER CASE %x.PNG",
                "café/crème brûlée.jpg", "日本/猫の写真.png", "emoji/🐱🐶.png", "ελληνικά/εικόνα.jpeg", "x\u0000y.png",
                "tab\there.png", "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t/u/v/w/x/y/z.png"));
        String[] folders = {"circle", "square", "Ünïcödé", "дерево", "木", "🙂"};
        Random rnd = new Random(16);
        for (int i = 0; ids.size() < 400; i++) {
            StringBuilder name = new StringBuilder();
            int len = rnd.nextInt(40);
            for (int j = 0; j < len; j++) {
                int kind = rnd.nextInt(10);
                name.appendCodePoint(kind < 6 ? 'a' + rnd.nextInt(26) : kind < 8 ? 0xC0 + rnd.nextInt(0x200)
                        : kind < 9 ? 0x4E00 + rnd.nextInt(0x5000) : 0x1F300 + rnd.nextInt(0x300));
            }
            ids.add(folders[i % folders.length] + "/" + name + "_" + i + ".png");
        }
        return ids;
    }

    static List<Row> rows(List<String> ids) {
        List<Row> rows = new ArrayList<>();
        for (String id : ids) {
            rows.add(new GenericRowWithSchema(new Object[] {id, "file:/in/" + id, null, null, true, null}, Schemas.INPUT));
        }
        return rows;
    }

    @Test
    void theJavaWaveOfAnIdIsSparkSqlsPmodOfXxhash64() {
        SparkSession spark = JobTests.spark();
        List<String> ids = ids();
        Dataset<Row> df = spark.createDataFrame(ids.stream().map(id -> (Row) new GenericRowWithSchema(new Object[] {id},
                new StructType().add("image_id", DataTypes.StringType))).toList(),
                new StructType().add("image_id", DataTypes.StringType));
        for (int waves : new int[] {2, 3, 7, 10, 1000}) {
            WavePlan plan = new WavePlan(ids.size(), waves, waves, 1);
            Map<String, Integer> sql = new HashMap<>();
            for (Row r : df.select(expr("image_id"), expr("pmod(xxhash64(image_id), " + waves + ")")).collectAsList()) {
                sql.put(r.getString(0), (int) r.getLong(1));
            }
            assertEquals(ids.size(), sql.size());
            Set<Integer> seen = new HashSet<>();
            for (String id : ids) {
                assertEquals(sql.get(id), plan.waveOf(id), waves + " waves, id " + id);
                seen.add(plan.waveOf(id));
            }
            if (waves <= 10) {
                assertEquals(waves, seen.size(), "every wave holds images");
            }
        }
    }

    @Test
    void eachListedWaveReachesTheTasksOnceSpreadEvenlyAndAsSparkWouldFilterIt() {
        SparkSession spark = JobTests.spark();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<String> ids = ids();
        List<Row> rows = rows(ids);
        WavePlan plan = WavePlan.of(ids.size(), 21, 5, 2); // 21 partitions at 5 a wave: 5 waves of 5 partitions
        assertEquals(5, plan.waves());
        ListedWaves listed = new ListedWaves(jsc, rows, plan);
        ImageSource.Plan images = new ImageSource.Plan(JobConfig.InputFormat.IMAGES, "/in", "file:/in", false, ids.size(), 0,
                Map.of(), List.of(), List.of());
        DatasetWaves inSpark = new DatasetWaves(spark.createDataFrame(rows, Schemas.INPUT), plan, images);
        Set<String> all = new TreeSet<>();
        int total = 0;
        for (int k = 0; k < plan.waves(); k++) {
            JavaRDD<Row> wave = listed.wave(k);
            assertEquals(plan.partitionsPerWave(), wave.getNumPartitions());
            // read in the tasks by field name, as PartitionRunner reads them
            List<List<String>> parts = wave.glom().map(p -> p.stream().map(r -> r.<String>getAs("image_id")
                    + "|" + r.<String>getAs("source_path") + "|" + r.<Boolean>getAs("fetch")).toList()).collect();
            int min = Integer.MAX_VALUE;
            int max = 0;
            Set<String> got = new TreeSet<>();
            for (List<String> p : parts) {
                min = Math.min(min, p.size());
                max = Math.max(max, p.size());
                for (String s : p) {
                    String id = s.substring(0, s.indexOf('|'));
                    assertEquals(id + "|file:/in/" + id + "|true", s);
                    assertEquals(k, plan.waveOf(id), id);
                    assertTrue(got.add(id), "twice in a wave: " + id);
                }
            }
            assertTrue(max - min <= 1, "wave " + k + " partition sizes " + min + ".." + max);
            assertEquals(listed.size(k), got.size());
            Set<String> filtered = new TreeSet<>(inSpark.wave(k).map(r -> r.<String>getAs("image_id")).collect());
            assertEquals(filtered, got, "wave " + k + ": Spark's filter on pmod(xxhash64) gives the same images");
            total += got.size();
            all.addAll(got);
        }
        assertEquals(ids.size(), total);
        assertEquals(new TreeSet<>(ids), all);
    }
}
