package dev.vitex.jobs.audit;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.xxhash64;

import dev.vitex.jobs.config.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.mllib.clustering.KMeansModel;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.Seq;

/**
 * {@code vitex audit}: one pass over a run's attributions plus per-class work on bounded samples
 * (docs/audit.md). Writes {@code classes/}, {@code clusters/}, {@code images/} (Parquet) and, with
 * {@code report}, {@code index.html}.
 */
public final class DatasetAudit {
    private static final Logger LOG = LoggerFactory.getLogger("vitex");
    static final List<String> CLASS = List.of("method", "target_label");

    private final SparkSession spark;
    private final AuditOptions options;

    public DatasetAudit(SparkSession spark, AuditOptions options) {
        this.spark = spark;
        this.options = options;
    }

    /** What was audited: rows read, classes, clusters found and the page (null without {@code report}). */
    public record Result(long rows, int classes, int clusters, String page, double seconds) {}

    public Result execute() {
        long t0 = System.nanoTime();
        Dataset<Row> rows = RunAttributions.read(spark, options.run(), options.methods())
                .withColumn("features", ArrayColumns.FEATURES.apply(col("scores"), col("grid_height"), col("grid_width")))
                .withColumn("concentration", ArrayColumns.CONCENTRATION.apply(col("features")))
                .withColumn("border_share", ArrayColumns.BORDER_SHARE.apply(col("scores"), col("grid_height"), col("grid_width")))
                .withColumn("sample_rank", row_number().over(Window.partitionBy("method", "target_label")
                        .orderBy(xxhash64(col("image_id"), col("target"), lit(options.seed())), col("image_id"), col("target"))))
                .cache();
        try {
            long n = rows.count();
            if (n == 0) {
                throw new ConfigException("--run " + options.run() + ": no attribution rows"
                        + (options.methods().isEmpty() ? "" : " for the methods " + String.join(",", options.methods())));
            }
            Map<ClassKey, ClassClustering> clusterings = clusterSamples(rows);
            Dataset<Row> classMeans = ArrayColumns.elementwise(rows, CLASS, "features", "class_features_", false);
            Dataset<Row> images = assign(rows, clusterings).join(classMeans, seq(CLASS))
                    .withColumn("outlier_score", ArrayColumns.distance(col("features"), col("class_features_mean")))
                    .cache();
            String out = options.output().replaceAll("/+$", "");
            images.select("image_id", "method", "target", "target_label", "predicted_label", "cluster", "outlier_score",
                            "in_sample", "concentration", "border_share", "features")
                    .withColumn("features", transform(col("features"), x -> x.cast("float")))
                    .write().mode("overwrite").parquet(out + "/images");
            List<ClusterFigures> clusters = ClusterFigures.of(images, clusterings);
            spark.createDataFrame(ClusterFigures.rows(clusters), ClusterFigures.SCHEMA).coalesce(1)
                    .write().mode("overwrite").parquet(out + "/clusters");
            Dataset<Row> classes = classSummary(rows, clusterings);
            classes.coalesce(1).write().mode("overwrite").parquet(out + "/classes");
            String page = options.report() ? AuditPage.write(spark, out, images, classes, clusters) : null;
            images.unpersist();
            return new Result(n, clusterings.size(), clusters.size(), page, (System.nanoTime() - t0) / 1e9);
        } finally {
            rows.unpersist();
        }
    }

    /** Join columns as an array (Spark's Java-friendly join). */
    static String[] seq(List<String> columns) {
        return columns.toArray(String[]::new);
    }

    /** One class: method and explained label. */
    record ClassKey(String method, String label) {}

    /** A class's clustering of its sample: clusters, eigengap, centroids in feature space. */
    record ClassClustering(Spray.Result spray, int sampleSize, double[][] centroids, Map<String, Integer> sampleCluster) {}

    /** Collects each class's seeded sample (bounded), clusters it on the driver. */
    private Map<ClassKey, ClassClustering> clusterSamples(Dataset<Row> rows) {
        List<Row> sample = rows.filter(col("sample_rank").leq(options.maxSample()))
                .select("method", "target_label", "image_id", "target", "features")
                .orderBy("method", "target_label", "sample_rank").collectAsList();
        Map<ClassKey, List<Row>> byClass = new LinkedHashMap<>();
        for (Row r : sample) {
            byClass.computeIfAbsent(new ClassKey(r.getString(0), r.getString(1)), k -> new ArrayList<>()).add(r);
        }
        Map<ClassKey, ClassClustering> out = new LinkedHashMap<>();
        Spray spray = new Spray(options.maxClusters(), options.seed());
        for (var e : byClass.entrySet()) {
            List<Row> members = e.getValue();
            double[][] points = new double[members.size()][];
            for (int i = 0; i < points.length; i++) {
                points[i] = ArrayColumns.doubles(members.get(i).getList(4));
            }
            Spray.Result result = spray.cluster(points);
            double[][] centroids = new double[result.clusters()][points.length == 0 ? 0 : points[0].length];
            int[] sizes = new int[result.clusters()];
            Map<String, Integer> assigned = new LinkedHashMap<>();
            for (int i = 0; i < points.length; i++) {
                int c = result.cluster()[i];
                sizes[c]++;
                for (int j = 0; j < points[i].length; j++) {
                    centroids[c][j] += points[i][j];
                }
                assigned.put(memberKey(members.get(i).getString(2), members.get(i).getInt(3)), c);
            }
            for (int c = 0; c < centroids.length; c++) {
                for (int j = 0; j < centroids[c].length; j++) {
                    centroids[c][j] /= Math.max(1, sizes[c]);
                }
            }
            LOG.info("audit: {} / {}: {} maps sampled, {} clusters (eigengap {})", e.getKey().method(), e.getKey().label(),
                    points.length, result.clusters(), String.format("%.3f", result.eigengap()));
            out.put(e.getKey(), new ClassClustering(result, points.length, centroids, assigned));
        }
        return out;
    }

    static String memberKey(String imageId, int target) {
        return target + "\u0000" + imageId;
    }

    /** Every row's cluster: the sample's own; the rest by the nearest centroid (MLlib's KMeansModel). */
    private Dataset<Row> assign(Dataset<Row> rows, Map<ClassKey, ClassClustering> clusterings) {
        List<Row> sampled = new ArrayList<>();
        Map<String, KMeansModel> models = new LinkedHashMap<>();
        for (var e : clusterings.entrySet()) {
            e.getValue().sampleCluster().forEach((member, c) -> {
                int cut = member.indexOf('\u0000');
                sampled.add(RowFactory.create(e.getKey().method(), e.getKey().label(), member.substring(cut + 1),
                        Integer.parseInt(member.substring(0, cut)), c));
            });
            Vector[] centres = new Vector[e.getValue().centroids().length];
            for (int c = 0; c < centres.length; c++) {
                centres[c] = Vectors.dense(e.getValue().centroids()[c]);
            }
            models.put(e.getKey().method() + "\u0000" + e.getKey().label(), new KMeansModel(centres));
        }
        StructType schema = new StructType().add("method", DataTypes.StringType).add("target_label", DataTypes.StringType)
                .add("image_id", DataTypes.StringType).add("target", DataTypes.IntegerType).add("sample_cluster", DataTypes.IntegerType);
        Dataset<Row> sampleClusters = spark.createDataFrame(sampled, schema);
        Broadcast<Map<String, KMeansModel>> centres = JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(models);
        UserDefinedFunction nearest = udf((UDF3<String, String, Seq<Object>, Integer>) (m, label, f) -> {
            KMeansModel model = centres.value().get(m + "\u0000" + label);
            return model == null ? null : model.predict(Vectors.dense(ArrayColumns.doubles(f)));
        }, DataTypes.IntegerType);
        return rows.join(sampleClusters, seq(List.of("method", "target_label", "image_id", "target")), "left")
                .withColumn("in_sample", col("sample_cluster").isNotNull())
                .withColumn("cluster", coalesce(col("sample_cluster"), nearest.apply(col("method"), col("target_label"), col("features"))))
                .drop("sample_cluster");
    }

    /** classes/: per method and explained label. */
    private Dataset<Row> classSummary(Dataset<Row> rows, Map<ClassKey, ClassClustering> clusterings) {
        Dataset<Row> maps = ArrayColumns.elementwise(rows, CLASS, "scores", "", true)
                .withColumnRenamed("mean", "mean_scores").withColumnRenamed("std", "std_scores")
                .withColumn("mean_scores", transform(col("mean_scores"), x -> x.cast("float")))
                .withColumn("std_scores", transform(col("std_scores"), x -> x.cast("float")));
        Dataset<Row> scalars = rows.groupBy(col("method"), col("target_label")).agg(count(lit(1)).as("images"),
                first("grid_height").as("grid_height"), first("grid_width").as("grid_width"),
                avg("concentration").as("concentration"), avg("border_share").as("border_share"),
                avg("deletion_auc").as("deletion_auc"), avg("insertion_auc").as("insertion_auc"));
        List<Row> spray = new ArrayList<>();
        clusterings.forEach((k, c) -> spray.add(RowFactory.create(k.method(), k.label(), c.spray().clusters(),
                c.spray().eigengap(), c.sampleSize())));
        StructType schema = new StructType().add("method", DataTypes.StringType).add("target_label", DataTypes.StringType)
                .add("clusters", DataTypes.IntegerType).add("eigengap", DataTypes.DoubleType).add("sampled", DataTypes.IntegerType);
        return scalars.join(maps, seq(CLASS)).join(spark.createDataFrame(spray, schema), seq(CLASS))
                .select("method", "target_label", "images", "mean_scores", "std_scores", "grid_height", "grid_width",
                        "concentration", "border_share", "deletion_auc", "insertion_auc", "clusters", "eigengap", "sampled")
                .orderBy(col("eigengap").desc(), col("method"), col("target_label"));
    }
}
