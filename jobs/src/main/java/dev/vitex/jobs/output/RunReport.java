package dev.vitex.jobs.output;

import dev.vitex.jobs.config.JobConfig;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sha2;

import dev.vitex.core.grid.Granularity;
import dev.vitex.core.grid.Unit;
import dev.vitex.core.report.ReportCell;
import dev.vitex.core.report.ReportError;
import dev.vitex.core.report.ReportImage;
import dev.vitex.core.report.ReportOptions;
import dev.vitex.core.report.ReportWriter;
import dev.vitex.core.report.RunSummary;
import dev.vitex.core.method.Attribution;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --report}: the run's audit report in {@code <output>/report/} (heatmap overlays on the
 * original images and {@code index.html}, from {@code dev.vitex.core.render}). It shows this run's
 * rows for a bounded sample of images — those with the smallest sha256 of their id, as the report
 * writer samples, so the sample does not depend on partitioning — and lists a sample of the errors;
 * the Parquet output has everything.
 */
public final class RunReport {
    private static final Logger LOG = LoggerFactory.getLogger("vitex");

    private RunReport() {}

    /** What was written: the index page (as a display path) and how many images it shows. */
    public record Written(String index, int images) {}

    /**
     * @param output the run's task output (wide attribution rows and error rows, cached)
     * @param input the run's input rows (to fetch the original images of the sample)
     */
    public static Written write(Dataset<Row> output, Dataset<Row> input, AttributionSink sink, Configuration hadoop, String runId,
                         String modelName, List<String> methods, Map<String, Long> counts, long explained, long errorRows) {
        ReportOptions options = ReportOptions.defaults();
        Dataset<Row> attributions = output.filter(col("kind").equalTo(Schemas.ATTRIBUTION));
        List<String> ids = attributions.select("image_id").distinct()
                .orderBy(sha2(col("image_id"), 256)).limit(options.maxImages())
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        Map<String, List<Row>> rowsByImage = new TreeMap<>();
        if (!ids.isEmpty()) {
            for (Row r : attributions.filter(col("image_id").isin(ids.toArray())).collectAsList()) {
                rowsByImage.computeIfAbsent(r.getString(r.fieldIndex("image_id")), k -> new ArrayList<>()).add(r);
            }
        }
        Map<String, byte[]> bytes = originals(input, ids, hadoop);
        List<ReportImage> images = new ArrayList<>();
        for (var e : rowsByImage.entrySet()) {
            byte[] b = bytes.get(e.getKey());
            if (b == null) {
                LOG.warn("report: the image {} could not be read again; left out of the report", e.getKey());
                continue;
            }
            try {
                List<ReportCell> cells = new ArrayList<>();
                Row first = e.getValue().get(0);
                for (Row r : e.getValue()) {
                    cells.add(cell(r));
                }
                images.add(ReportImage.decode(e.getKey(), b, first.getString(first.fieldIndex("predicted_label")),
                        first.getFloat(first.fieldIndex("predicted_score")), cells));
            } catch (RuntimeException ex) {
                LOG.warn("report: {} left out: {}", e.getKey(), JobConfig.oneLine(ex.getMessage()));
            }
        }
        List<ReportError> errors = new ArrayList<>();
        if (options.maxErrors() > 0) {
            for (Row r : output.filter(col("kind").equalTo(Schemas.ERROR)).orderBy("image_id")
                    .select("image_id", "stage", "method", "message").limit(options.maxErrors()).collectAsList()) {
                errors.add(new ReportError(r.getString(0), r.getString(1), r.isNullAt(2) ? null : r.getString(2), r.getString(3)));
            }
        }
        RunSummary summary = new RunSummary(runId, modelName, methods, counts, explained, errors,
                Math.max(errorRows, errors.size()));
        Path local = sink.localPath();
        Path dir = local != null ? local.resolve("report") : tempDir();
        Path index = new ReportWriter(options).write(dir, summary, images);
        if (local == null) {
            sink.upload(dir, "report");
            return new Written(sink.uri() + "/report/index.html", images.size());
        }
        return new Written(index.toString(), images.size());
    }

    /** A report cell from an attribution row (wide columns). */
    private static ReportCell cell(Row r) {
        List<Float> s = r.getList(r.fieldIndex("scores"));
        float[] scores = new float[s.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = s.get(i);
        }
        Attribution a = new Attribution(r.getString(r.fieldIndex("method")), r.getString(r.fieldIndex("params")),
                Granularity.valueOf(r.getString(r.fieldIndex("granularity"))), r.getInt(r.fieldIndex("grid_height")),
                r.getInt(r.fieldIndex("grid_width")), r.getInt(r.fieldIndex("patch_size")), scores,
                r.getInt(r.fieldIndex("target")), r.getFloat(r.fieldIndex("target_score")),
                r.getLong(r.fieldIndex("model_passes")), nullable(r, "completeness_gap"));
        List<Unit> units = new ArrayList<>();
        for (Row u : r.<Row>getList(r.fieldIndex("units"))) {
            units.add(new Unit(u.getInt(0), u.getInt(1), u.getInt(2), u.getInt(3), u.getInt(4), u.getInt(5),
                    u.getFloat(6), u.getFloat(7), u.getFloat(8), u.getFloat(9)));
        }
        return new ReportCell(r.getString(r.fieldIndex("target_label")), a, units, nullable(r, "deletion_auc"),
                nullable(r, "insertion_auc"));
    }

    private static Double nullable(Row r, String column) {
        int i = r.fieldIndex(column);
        return r.isNullAt(i) ? null : r.getDouble(i);
    }

    /** The encoded images of {@code ids}: from the Parquet input's bytes, or read again from their files. */
    private static Map<String, byte[]> originals(Dataset<Row> input, List<String> ids, Configuration hadoop) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        for (Row r : input.filter(col("image_id").isin(ids.toArray())).collectAsList()) {
            String id = r.getString(0);
            try {
                if (r.getBoolean(4)) {
                    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(r.getString(1));
                    FileSystem fs = p.getFileSystem(hadoop);
                    try (InputStream in = fs.open(p)) {
                        out.put(id, in.readAllBytes());
                    }
                } else if (!r.isNullAt(3)) {
                    out.put(id, (byte[]) r.get(3));
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("report: cannot read {}: {}", id, JobConfig.oneLine(e.getMessage()));
            }
        }
        return out;
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("vitex-report");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Files under {@code dir}, for uploads. */
    static List<Path> files(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
