package dev.vitex.jobs.driver;

import static org.apache.spark.sql.functions.col;

import dev.vitex.jobs.driver.AttributionRun.Sample;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Every method's attribution of the first explained image (by id), for the demo's printout. */
final class DemoSamples {
    private DemoSamples() {}

    /** @param attributions the run's attribution rows, wide */
    static List<Sample> of(Dataset<Row> attributions, List<String> methods) {
        List<Row> first = attributions.select("image_id").orderBy("image_id").limit(1).collectAsList();
        if (first.isEmpty()) {
            return List.of();
        }
        List<Sample> samples = new ArrayList<>();
        List<Row> rows = attributions.filter(col("image_id").equalTo(first.get(0).getString(0)))
                .select("image_id", "method", "target_label", "target_score", "granularity", "grid_height", "grid_width",
                        "scores", "target")
                .orderBy("target").collectAsList();
        for (String m : methods) {
            for (Row r : rows) {
                if (r.getString(1).equals(m)) {
                    List<Float> list = r.getList(7);
                    float[] scores = new float[list.size()];
                    for (int i = 0; i < scores.length; i++) {
                        scores[i] = list.get(i);
                    }
                    samples.add(new Sample(r.getString(0), m, r.getString(2), r.getFloat(3), r.getString(4), r.getInt(5),
                            r.getInt(6), scores));
                    break;
                }
            }
        }
        return samples;
    }
}
