package dev.vitex.jobs.audit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;

import dev.vitex.jobs.audit.DatasetAudit.ClassClustering;
import dev.vitex.jobs.audit.DatasetAudit.ClassKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One row of {@code clusters/}: a cluster's size, mean map (raw scores) and normalised mean map, how far that is
 * from its class's normalised mean map, how concentrated it is, and its rank in the class (1 = most
 * concentrated mean map: a fixed-place shortcut shows up there first; docs/audit.md § Reading the page).
 */
public record ClusterFigures(String method, String targetLabel, int cluster, long size, float[] meanScores,
                             double[] meanFeatures, double distanceFromClass, double concentration, int rank,
                             double eigengap, int gridHeight, int gridWidth) {

    static final StructType SCHEMA = new StructType().add("method", DataTypes.StringType)
            .add("target_label", DataTypes.StringType).add("cluster", DataTypes.IntegerType).add("size", DataTypes.LongType)
            .add("mean_scores", DataTypes.createArrayType(DataTypes.FloatType, false))
            .add("mean_features", DataTypes.createArrayType(DataTypes.FloatType, false))
            .add("distance_from_class", DataTypes.DoubleType).add("concentration", DataTypes.DoubleType)
            .add("rank", DataTypes.IntegerType).add("grid_height", DataTypes.IntegerType).add("grid_width", DataTypes.IntegerType);

    /** The clusters of every class from the assigned rows (few rows: collected). */
    static List<ClusterFigures> of(Dataset<Row> assigned, Map<ClassKey, ClassClustering> clusterings) {
        List<String> keys = List.of("method", "target_label", "cluster");
        Dataset<Row> scores = ArrayColumns.elementwise(assigned, keys, "scores", "s_", false);
        Dataset<Row> features = ArrayColumns.elementwise(assigned, keys, "features", "f_", false);
        Dataset<Row> sizes = assigned.groupBy(col("method"), col("target_label"), col("cluster"))
                .agg(count(lit(1)).as("size"), first("grid_height").as("gh"),
                        first("grid_width").as("gw"));
        String[] on = keys.toArray(String[]::new);
        List<Row> rows = sizes.join(scores, on).join(features, on).orderBy("method", "target_label", "cluster").collectAsList();
        Map<ClassKey, List<Row>> byClass = new LinkedHashMap<>();
        for (Row r : rows) {
            byClass.computeIfAbsent(new ClassKey(r.getString(0), r.getString(1)), k -> new ArrayList<>()).add(r);
        }
        List<ClusterFigures> out = new ArrayList<>();
        for (var e : byClass.entrySet()) {
            List<Row> members = e.getValue();
            long total = members.stream().mapToLong(r -> r.getLong(r.fieldIndex("size"))).sum();
            double[] classMean = null;
            List<double[]> means = new ArrayList<>();
            for (Row r : members) {
                double[] f = ArrayColumns.doubles(r.getList(r.fieldIndex("f_mean")));
                means.add(f);
                if (classMean == null) {
                    classMean = new double[f.length];
                }
                double w = (double) r.getLong(r.fieldIndex("size")) / total;
                for (int i = 0; i < f.length; i++) {
                    classMean[i] += w * f[i];
                }
            }
            ClassClustering clustering = clusterings.get(e.getKey());
            double gap = clustering == null ? 0 : clustering.spray().eigengap();
            List<ClusterFigures> cls = new ArrayList<>();
            for (int k = 0; k < members.size(); k++) {
                Row r = members.get(k);
                double[] s = ArrayColumns.doubles(r.getList(r.fieldIndex("s_mean")));
                float[] sf = new float[s.length];
                for (int i = 0; i < s.length; i++) {
                    sf[i] = (float) s[i];
                }
                cls.add(new ClusterFigures(e.getKey().method(), e.getKey().label(), r.getInt(2), r.getLong(r.fieldIndex("size")), sf,
                        means.get(k), MapFeatures.distance(means.get(k), classMean), MapFeatures.concentration(means.get(k)), 0,
                        gap, r.getInt(r.fieldIndex("gh")), r.getInt(r.fieldIndex("gw"))));
            }
            cls.sort(Comparator.comparingDouble(ClusterFigures::concentration).reversed().thenComparingInt(ClusterFigures::cluster));
            for (int i = 0; i < cls.size(); i++) {
                out.add(cls.get(i).withRank(i + 1));
            }
        }
        return out;
    }

    ClusterFigures withRank(int value) {
        return new ClusterFigures(method, targetLabel, cluster, size, meanScores, meanFeatures, distanceFromClass, concentration,
                value, eigengap, gridHeight, gridWidth);
    }

    static List<Row> rows(List<ClusterFigures> clusters) {
        List<Row> out = new ArrayList<>();
        for (ClusterFigures c : clusters) {
            Float[] s = new Float[c.meanScores.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = c.meanScores[i];
            }
            Float[] f = new Float[c.meanFeatures.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) c.meanFeatures[i];
            }
            out.add(RowFactory.create(c.method, c.targetLabel, c.cluster, c.size, s, f, c.distanceFromClass, c.concentration,
                    c.rank, c.gridHeight, c.gridWidth));
        }
        return out;
    }
}
