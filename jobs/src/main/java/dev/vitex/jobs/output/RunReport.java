package dev.vitex.jobs.output;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sha2;

import dev.vitex.core.grid.Granularity;
import dev.vitex.core.grid.Unit;
import dev.vitex.core.image.DecodeOptions;
import dev.vitex.core.image.DecodedRegion;
import dev.vitex.core.image.ImageDecoder;
import dev.vitex.core.method.Attribution;
import dev.vitex.core.report.ReportCell;
import dev.vitex.core.report.ReportError;
import dev.vitex.core.report.ReportImage;
import dev.vitex.core.report.ReportOptions;
import dev.vitex.core.report.ReportWriter;
import dev.vitex.core.report.RunSummary;
import dev.vitex.jobs.config.JobConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
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
    /** Originals are decoded subsampled to at most this long side (the report shows them at ≤ 1024 px). */
    static final int THUMBNAIL_SIDE = 512;

    private RunReport() {}

    /** What was written: the index page (as a display path) and how many images it shows. */
    public record Written(String index, int images) {}

    /**
     * @param attributions the run's attribution rows, wide ({@link RunRows#attributions})
     * @param errorTable the run's error rows ({@link RunRows#errors})
     * @param input the run's input rows (to fetch the original images of the sample)
     * @param decode the run's decoding options (the same orientation and caps as the model saw)
     */
    public static Written write(Dataset<Row> attributions, Dataset<Row> errorTable, Dataset<Row> input, AttributionSink sink,
                                Configuration hadoop, String runId, String modelName, List<String> methods,
                                Map<String, Long> counts, long explained, long errorRows, DecodeOptions decode) {
        ReportOptions options = ReportOptions.defaults();
        List<String> ids = attributions.select("image_id").distinct()
                .orderBy(sha2(col("image_id"), 256)).limit(options.maxImages())
                .as(Encoders.STRING()).collectAsList();
        Map<String, List<Row>> rowsByImage = new TreeMap<>();
        if (!ids.isEmpty()) {
            for (Row r : attributions.filter(col("image_id").isin(ids.toArray())).collectAsList()) {
                rowsByImage.computeIfAbsent(r.getString(r.fieldIndex("image_id")), k -> new ArrayList<>()).add(r);
            }
        }
        List<ReportImage> images = new ArrayList<>();
        ImageDecoder decoder = new ImageDecoder(decode);
        // one original at a time: its bytes are decoded to a subsampled thumbnail and dropped
        Iterator<Row> originals = ids.isEmpty() ? List.<Row>of().iterator()
                : input.filter(col("image_id").isin(ids.toArray())).toLocalIterator();
        Set<String> found = new HashSet<>();
        while (originals.hasNext()) {
            Row source = originals.next();
            String id = source.getString(0);
            List<Row> rows = rowsByImage.get(id);
            if (rows == null || !found.add(id)) {
                continue;
            }
            try {
                DecodedRegion thumb = decoder.thumbnail(original(source, hadoop), THUMBNAIL_SIDE);
                List<ReportCell> cells = new ArrayList<>();
                for (Row r : rows) {
                    cells.add(cell(r, thumb.step()));
                }
                Row first = rows.get(0);
                images.add(new ReportImage(id, thumb.pixels(), first.getString(first.fieldIndex("predicted_label")),
                        first.getFloat(first.fieldIndex("predicted_score")), cells));
            } catch (IOException | RuntimeException ex) {
                LOG.warn("report: {} left out: {}", id, JobConfig.oneLine(ex.getMessage()));
            }
        }
        for (String id : rowsByImage.keySet()) {
            if (!found.contains(id)) {
                LOG.warn("report: the image {} could not be read again; left out of the report", id);
            }
        }
        List<ReportError> errors = new ArrayList<>();
        if (options.maxErrors() > 0) {
            for (Row r : errorTable.orderBy("image_id")
                    .select("image_id", "stage", "method", "message").limit(options.maxErrors()).collectAsList()) {
                errors.add(new ReportError(r.getString(0), r.getString(1), r.isNullAt(2) ? null : r.getString(2), r.getString(3)));
            }
        }
        RunSummary summary = new RunSummary(runId, modelName, methods, counts, explained, errors,
                Math.max(errorRows, errors.size()));
        Path local = sink.localPath();
        if (local != null) {
            Path index = new ReportWriter(options).write(local.resolve("report"), summary, images);
            return new Written(index.toString(), images.size());
        }
        try (ScratchFolders scratch = new ScratchFolders()) {
            Path dir = scratch.create("vitex-report");
            new ReportWriter(options).write(dir, summary, images);
            sink.upload(dir, "report");
            return new Written(sink.uri() + "/report/index.html", images.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A report cell from an attribution row (wide columns); original coordinates divided by the thumbnail's step. */
    private static ReportCell cell(Row r, int step) {
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
                    u.getFloat(6) / step, u.getFloat(7) / step, u.getFloat(8) / step, u.getFloat(9) / step));
        }
        return new ReportCell(r.getString(r.fieldIndex("target_label")), a, units, nullable(r, "deletion_auc"),
                nullable(r, "insertion_auc"));
    }

    private static Double nullable(Row r, String column) {
        int i = r.fieldIndex(column);
        return r.isNullAt(i) ? null : r.getDouble(i);
    }

    /** The encoded image of an input row: its Parquet bytes, or its file read again. */
    private static byte[] original(Row r, Configuration hadoop) throws IOException {
        if (!r.getBoolean(4)) {
            if (r.isNullAt(3)) {
                throw new IOException("no image bytes");
            }
            return (byte[]) r.get(3);
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(r.getString(1));
        FileSystem fs = p.getFileSystem(hadoop);
        try (InputStream in = fs.open(p)) {
            return in.readAllBytes();
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
