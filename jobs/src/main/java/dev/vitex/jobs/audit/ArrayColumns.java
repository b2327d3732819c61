package dev.vitex.jobs.audit;

import static org.apache.spark.sql.functions.aggregate;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.sqrt;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.transform;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.zip_with;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import scala.collection.Seq;

/** Spark columns over per-unit arrays, shared by the audit and the comparison. */
final class ArrayColumns {
    private ArrayColumns() {}

    /** {@link MapFeatures#features} of (scores, grid_height, grid_width). */
    static final UserDefinedFunction FEATURES = udf(
            (UDF3<Seq<Object>, Integer, Integer, double[]>) (s, h, w) -> MapFeatures.features(floats(s), h, w),
            DataTypes.createArrayType(DataTypes.DoubleType, false));

    /** {@link MapFeatures#concentration} of a features array. */
    static final UserDefinedFunction CONCENTRATION = udf(
            (UDF1<Seq<Object>, Double>) f -> MapFeatures.concentration(doubles(f)), DataTypes.DoubleType);

    /** {@link MapFeatures#borderShare} of (scores, grid_height, grid_width). */
    static final UserDefinedFunction BORDER_SHARE = udf(
            (UDF3<Seq<Object>, Integer, Integer, Double>) (s, h, w) -> MapFeatures.borderShare(floats(s), h, w),
            DataTypes.DoubleType);

    /** Euclidean distance of two equally long numeric arrays, in SQL. */
    static Column distance(Column a, Column b) {
        Column squares = zip_with(a, b, (x, y) -> x.minus(y).multiply(x.minus(y)));
        return sqrt(aggregate(squares, lit(0.0), (acc, x) -> acc.plus(x)));
    }

    /**
     * Element-wise mean (and population standard deviation when {@code withStd}) of the array column
     * {@code array} per group of {@code keys}: one row per group with {@code <prefix>mean} (and
     * {@code <prefix>std}) as array<double>. One shuffle of rows × elements.
     */
    static Dataset<Row> elementwise(Dataset<Row> rows, List<String> keys, String array, String prefix, boolean withStd) {
        List<Column> select = new ArrayList<>();
        keys.forEach(k -> select.add(col(k)));
        select.add(posexplode(col(array)).as(new String[] {"pos", "value"}));
        Column[] groupByPos = keysPlus(keys, "pos");
        Dataset<Row> perPos = rows.select(select.toArray(Column[]::new)).groupBy(groupByPos)
                .agg(avg("value").as("m"), stddev_pop("value").as("s"));
        Dataset<Row> lists = perPos.groupBy(keysPlus(keys)).agg(array_sort(collect_list(struct("pos", "m", "s"))).as("l"));
        Dataset<Row> out = lists.withColumn(prefix + "mean", transform(col("l"), e -> e.getField("m")));
        if (withStd) {
            out = out.withColumn(prefix + "std", transform(col("l"), e -> e.getField("s")));
        }
        return out.drop("l");
    }

    private static Column[] keysPlus(List<String> keys, String... more) {
        List<Column> c = new ArrayList<>();
        keys.forEach(k -> c.add(col(k)));
        for (String m : more) {
            c.add(col(m));
        }
        return c.toArray(Column[]::new);
    }

    static float[] floats(Seq<Object> s) {
        float[] out = new float[s.length()];
        for (int i = 0; i < out.length; i++) {
            Object v = s.apply(i);
            out[i] = v == null ? Float.NaN : ((Number) v).floatValue();
        }
        return out;
    }

    static double[] doubles(Seq<Object> s) {
        double[] out = new double[s.length()];
        for (int i = 0; i < out.length; i++) {
            Object v = s.apply(i);
            out[i] = v == null ? Double.NaN : ((Number) v).doubleValue();
        }
        return out;
    }

    /** A list of numbers from a Row's array field as double[]. */
    static double[] doubles(List<?> list) {
        double[] out = new double[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) list.get(i)).doubleValue();
        }
        return out;
    }
}
