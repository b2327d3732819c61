package dev.vitex.jobs.audit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * {@code AUDIT_DIR/index.html}: per class (most separated clusters first, by eigengap) the class's mean map and,
 * per cluster (by rank: most concentrated mean map first), its mean map, size and figures and the
 * {@value #EXEMPLARS} members closest to the cluster's mean, each over its original image.
 */
final class AuditPage {
    static final int EXEMPLARS = 4;

    private AuditPage() {}

    static String write(SparkSession spark, String output, Dataset<Row> images, Dataset<Row> classes, List<ClusterFigures> clusters) {
        Path dir = PageImages.localDir(output);
        PageImages files = new PageImages(dir, spark.sparkContext().hadoopConfiguration());
        Map<String, List<Row>> exemplars = exemplars(spark, images, clusters);
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>vitex dataset audit</title>")
                .append(PageImages.STYLE).append("</head><body><h1>vitex dataset audit</h1>")
                .append("<p>Classes with the most clearly separated clusters (largest eigengap) first; in a class, clusters by ")
                .append("rank (1 = most concentrated mean map: evidence in the same few places in every image, as a fixed-place ")
                .append("shortcut gives). Exemplars: the members closest to the cluster's mean map.</p>");
        for (Row c : classes.collectAsList()) {
            String method = c.getString(c.fieldIndex("method"));
            String label = c.getString(c.fieldIndex("target_label"));
            int gh = c.getInt(c.fieldIndex("grid_height"));
            int gw = c.getInt(c.fieldIndex("grid_width"));
            Row any = exemplarOf(exemplars, method, label);
            String granularity = any == null ? "PATCH" : any.getString(any.fieldIndex("granularity"));
            int ih = any == null ? gh * 16 : any.getInt(any.fieldIndex("input_height"));
            int iw = any == null ? gw * 16 : any.getInt(any.fieldIndex("input_width"));
            h.append("<section><h2>").append(PageImages.escape(label)).append(" — ").append(PageImages.escape(method))
                    .append("</h2><p>").append(c.getLong(c.fieldIndex("images"))).append(" images, ")
                    .append(c.getInt(c.fieldIndex("clusters"))).append(" clusters (eigengap ")
                    .append(fmt(c.getDouble(c.fieldIndex("eigengap")))).append(", ").append(c.getInt(c.fieldIndex("sampled")))
                    .append(" sampled), concentration ").append(fmt(c.getDouble(c.fieldIndex("concentration"))))
                    .append(", border share ").append(fmt(c.getDouble(c.fieldIndex("border_share")))).append("</p><div class=\"row\">");
            String mean = files.meanMap(PageImages.floats(c.getList(c.fieldIndex("mean_scores"))), gh, gw, granularity, ih, iw,
                    "class mean");
            figure(h, mean, "class mean map");
            h.append("</div>");
            for (ClusterFigures k : clusters) {
                if (!k.method().equals(method) || !k.targetLabel().equals(label)) {
                    continue;
                }
                h.append("<h3>cluster ").append(k.cluster()).append(" — rank ").append(k.rank()).append(", ").append(k.size())
                        .append(" images, concentration ").append(fmt(k.concentration())).append(", distance from class mean ")
                        .append(fmt(k.distanceFromClass())).append("</h3><div class=\"row\">");
                figure(h, files.meanMap(k.meanScores(), gh, gw, granularity, ih, iw, "cluster " + k.cluster() + " mean"),
                        "cluster " + k.cluster() + " mean map");
                for (Row e : exemplars.getOrDefault(key(method, label, k.cluster()), List.of())) {
                    String id = e.getString(e.fieldIndex("image_id"));
                    String f = files.overlay(e.getString(e.fieldIndex("source_path")), PageImages.floats(e.getList(e.fieldIndex("scores"))),
                            gh, gw, e.getString(e.fieldIndex("granularity")), e.getList(e.fieldIndex("box")), id);
                    if (f != null) {
                        figure(h, f, id + " (predicted " + e.getString(e.fieldIndex("predicted_label")) + ", outlier score "
                                + fmt(e.getDouble(e.fieldIndex("outlier_score"))) + ")");
                    }
                }
                h.append("</div>");
            }
            h.append("</section>");
        }
        h.append("</body></html>\n");
        return PageImages.writePage(dir, "index.html", h.toString()).toString();
    }

    private static void figure(StringBuilder h, String file, String caption) {
        h.append("<figure><img src=\"").append(PageImages.escape(file)).append("\" alt=\"").append(PageImages.escape(caption))
                .append("\"><figcaption>").append(PageImages.escape(caption)).append("</figcaption></figure>");
    }

    /** The members of each cluster closest to its mean map (by the normalised features), at most EXEMPLARS. */
    private static Map<String, List<Row>> exemplars(SparkSession spark, Dataset<Row> images, List<ClusterFigures> clusters) {
        Dataset<Row> means = spark.createDataFrame(ClusterFigures.rows(clusters), ClusterFigures.SCHEMA)
                .select(col("method"), col("target_label"), col("cluster"), col("mean_features"));
        List<Row> rows = images.join(means, new String[] {"method", "target_label", "cluster"})
                .withColumn("d", ArrayColumns.distance(col("features"), col("mean_features")))
                .withColumn("r", row_number().over(Window.partitionBy("method", "target_label", "cluster")
                        .orderBy(col("d"), col("image_id"), col("target"))))
                .filter(col("r").leq(EXEMPLARS))
                .select("method", "target_label", "cluster", "image_id", "source_path", "scores", "box", "granularity",
                        "input_height", "input_width", "predicted_label", "outlier_score")
                .orderBy("method", "target_label", "cluster", "r").collectAsList();
        Map<String, List<Row>> out = new LinkedHashMap<>();
        for (Row r : rows) {
            out.computeIfAbsent(key(r.getString(0), r.getString(1), r.getInt(2)), k -> new ArrayList<>()).add(r);
        }
        return out;
    }

    private static Row exemplarOf(Map<String, List<Row>> exemplars, String method, String label) {
        for (var e : exemplars.entrySet()) {
            Row r = e.getValue().get(0);
            if (r.getString(0).equals(method) && r.getString(1).equals(label)) {
                return r;
            }
        }
        return null;
    }

    private static String key(String method, String label, int cluster) {
        return method + "\u0000" + label + "\u0000" + cluster;
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
