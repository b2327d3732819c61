package dev.vitex.jobs.audit;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;

import dev.vitex.jobs.config.ConfigException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import scala.collection.Seq;

/**
 * {@code vitex compare}: joins two runs on {@code image_id, method, target} and writes how each map changed
 * ({@code images/}), per method and class summaries ({@code summary/}) and, with {@code report}, a page of the
 * most changed images ({@code index.html}). Refuses runs whose grids or granularity differ for a method.
 */
public final class RunComparison {
    /** Images shown on the page: the lowest Pearson correlations. */
    static final int PAGE_ROWS = 24;

    private final SparkSession spark;

    public RunComparison(SparkSession spark) {
        this.spark = spark;
    }

    /** Rows compared, rows of either run without a partner, and the page (null without report). */
    public record Result(long matched, long baseOnly, long candidateOnly, String page) {}

    public Result execute(String baseRun, String candidateRun, String output, boolean report) {
        Dataset<Row> base = RunAttributions.read(spark, baseRun, List.of());
        Dataset<Row> candidate = RunAttributions.read(spark, candidateRun, List.of());
        refuseDifferentGrids(base, candidate);
        String[] key = RunAttributions.KEY.toArray(String[]::new);
        Dataset<Row> joined = base.select(col("image_id"), col("method"), col("target"), col("target_label"),
                        col("predicted_label").as("base_predicted"), col("scores").as("base_scores"),
                        col("source_path"), col("box"), col("granularity"), col("grid_height"), col("grid_width"))
                .join(candidate.select(col("image_id"), col("method"), col("target"),
                        col("predicted_label").as("candidate_predicted"), col("scores").as("candidate_scores")), key)
                .withColumn("pearson", compared(MapComparison::pearson).apply(col("base_scores"), col("candidate_scores")))
                .withColumn("spearman", compared(MapComparison::spearman).apply(col("base_scores"), col("candidate_scores")))
                .withColumn("topk_iou", compared(MapComparison::topkIou).apply(col("base_scores"), col("candidate_scores")))
                .cache();
        try {
            String out = output.replaceAll("/+$", "");
            joined.select("image_id", "method", "target", "target_label", "spearman", "pearson", "topk_iou",
                    "base_predicted", "candidate_predicted").write().mode("overwrite").parquet(out + "/images");
            summary(joined).coalesce(1).write().mode("overwrite").parquet(out + "/summary");
            long matched = joined.count();
            long baseOnly = base.join(candidate, key, "left_anti").count();
            long candidateOnly = candidate.join(base, key, "left_anti").count();
            String page = report ? page(joined, PageImages.localDir(out)) : null;
            return new Result(matched, baseOnly, candidateOnly, page);
        } finally {
            joined.unpersist();
        }
    }

    /** A figure of two maps that Spark can ship to executors. */
    interface Figure extends BiFunction<float[], float[], Double>, Serializable {}

    private static UserDefinedFunction compared(Figure figure) {
        return udf((UDF2<Seq<Object>, Seq<Object>, Double>) (a, b) -> a == null || b == null || a.length() != b.length() ? null
                : figure.apply(ArrayColumns.floats(a), ArrayColumns.floats(b)), DataTypes.DoubleType);
    }

    /** summary/: per method and class, mean and quantiles of the figures and the prediction-flip rate. */
    static Dataset<Row> summary(Dataset<Row> joined) {
        return joined.groupBy(col("method"), col("target_label")).agg(count(lit(1)).as("images"),
                avg("pearson").as("mean_pearson"), expr("percentile_approx(pearson, array(0.1, 0.5, 0.9))").as("pearson_q10_q50_q90"),
                avg("spearman").as("mean_spearman"), expr("percentile_approx(spearman, array(0.1, 0.5, 0.9))").as("spearman_q10_q50_q90"),
                avg("topk_iou").as("mean_topk_iou"), expr("percentile_approx(topk_iou, array(0.1, 0.5, 0.9))").as("topk_iou_q10_q50_q90"),
                avg(col("base_predicted").notEqual(col("candidate_predicted")).cast("double")).as("flip_rate"))
                .orderBy("method", "target_label");
    }

    private void refuseDifferentGrids(Dataset<Row> base, Dataset<Row> candidate) {
        Map<String, String> b = grids(base);
        Map<String, String> c = grids(candidate);
        for (var e : b.entrySet()) {
            String other = c.get(e.getKey());
            if (other != null && !other.equals(e.getValue())) {
                throw new ConfigException("compare: the runs differ in grid or granularity for " + e.getKey() + ": base "
                        + e.getValue() + ", candidate " + other + " (compare runs made with the same --granularity and model grid)");
            }
        }
    }

    private static Map<String, String> grids(Dataset<Row> rows) {
        Map<String, String> out = new TreeMap<>();
        for (Row r : rows.select("method", "granularity", "grid_height", "grid_width").distinct().collectAsList()) {
            String g = r.getString(1) + " " + r.getInt(2) + "×" + r.getInt(3);
            out.merge(r.getString(0), g, (x, y) -> x.compareTo(y) <= 0 ? x + " and " + y : y + " and " + x);
        }
        return out;
    }

    private String page(Dataset<Row> joined, Path dir) {
        PageImages files = new PageImages(dir, spark.sparkContext().hadoopConfiguration());
        StringBuilder h = new StringBuilder(8192);
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>vitex run comparison</title>")
                .append(PageImages.STYLE).append("</head><body><h1>vitex run comparison</h1><p>The ").append(PAGE_ROWS)
                .append(" maps whose explanation changed most (lowest Pearson correlation); base left, candidate right.</p>");
        for (Row r : joined.orderBy(col("pearson").asc_nulls_last(), col("image_id")).limit(PAGE_ROWS).collectAsList()) {
            String id = r.getString(r.fieldIndex("image_id"));
            h.append("<section><h3>").append(PageImages.escape(id)).append(" — ").append(PageImages.escape(r.getString(1)))
                    .append(", target ").append(PageImages.escape(r.getString(r.fieldIndex("target_label"))))
                    .append("</h3><p>pearson ").append(AuditPage.fmt(r.getDouble(r.fieldIndex("pearson")))).append(", spearman ")
                    .append(AuditPage.fmt(r.getDouble(r.fieldIndex("spearman")))).append(", top-k IoU ")
                    .append(AuditPage.fmt(r.getDouble(r.fieldIndex("topk_iou")))).append("; predicted ")
                    .append(PageImages.escape(r.getString(r.fieldIndex("base_predicted")))).append(" → ")
                    .append(PageImages.escape(r.getString(r.fieldIndex("candidate_predicted")))).append("</p><div class=\"row\">");
            for (String side : List.of("base", "candidate")) {
                String f = files.overlay(r.getString(r.fieldIndex("source_path")), PageImages.floats(r.getList(r.fieldIndex(side + "_scores"))),
                        r.getInt(r.fieldIndex("grid_height")), r.getInt(r.fieldIndex("grid_width")), r.getString(r.fieldIndex("granularity")),
                        r.getList(r.fieldIndex("box")), side);
                if (f != null) {
                    h.append("<figure><img src=\"").append(f).append("\" alt=\"").append(side).append("\"><figcaption>").append(side)
                            .append("</figcaption></figure>");
                }
            }
            h.append("</div></section>");
        }
        h.append("</body></html>\n");
        return PageImages.writePage(dir, "index.html", h.toString()).toString();
    }
}
