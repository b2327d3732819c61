package dev.vitex.jobs.output;

import dev.vitex.core.image.ImageGeometry;
import dev.vitex.core.method.Attribution;
import dev.vitex.core.metric.QualityScores;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.pipeline.ImageFacts;
import dev.vitex.core.pipeline.ImageOutcome;
import dev.vitex.core.pipeline.ImageOutcome.Explained;
import dev.vitex.core.pipeline.ImageOutcome.Failed;
import dev.vitex.core.pipeline.ImageOutcome.Finished;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Turns a group's outcomes into rows of {@link Schemas#TASK_OUTPUT} in Spark's internal form
 * ({@link InternalRow}: {@link UTF8String}s, unsafe arrays), so the task's rows reach the Parquet writer
 * without Spark's generic {@code Row} conversion (issue 16: 40 % of the task threads' Java samples for
 * saliency). {@code scores} is copied from the attribution's {@code float[]} as one block; {@code units}
 * comes from {@link UnitArrays}, built once per image geometry × grid and shared by all rows that need it.
 * One encoder per task.
 */
public final class RowEncoder {
    private static final int MAX_MESSAGE = 2000;
    private static final int WIDTH = Schemas.TASK_OUTPUT.size();
    private static final UTF8String ATTRIBUTION = UTF8String.fromString(Schemas.ATTRIBUTION);
    private static final UTF8String ERROR = UTF8String.fromString(Schemas.ERROR);
    private static final UTF8String IMAGE = UTF8String.fromString(Schemas.IMAGE);

    /** The run's constants that every attribution row repeats. */
    public record RunFacts(String runId, String modelName, String modelSha256, String inferenceMode, boolean deletion,
                           boolean insertion) {}

    private final RunFacts run;
    private final ModelCard card;
    private final UTF8String runId;
    private final UTF8String modelName;
    private final UTF8String modelSha256;
    private final UTF8String inferenceMode;
    private final UnitArrays units;

    public RowEncoder(RunFacts run, ModelCard card) {
        this.run = run;
        this.card = card;
        this.runId = UTF8String.fromString(run.runId());
        this.modelName = UTF8String.fromString(run.modelName());
        this.modelSha256 = UTF8String.fromString(run.modelSha256());
        this.inferenceMode = UTF8String.fromString(run.inferenceMode());
        this.units = new UnitArrays(card.inputHeight(), card.inputWidth());
    }

    /** @param sourcePaths each image's source path (null where there is none), by its index in the group */
    public List<InternalRow> encode(List<ImageOutcome> outcomes, List<String> sourcePaths) {
        List<InternalRow> rows = new ArrayList<>(outcomes.size());
        for (ImageOutcome o : outcomes) {
            String path = sourcePaths.get(o.image().index());
            if (o instanceof Explained e) {
                rows.add(attribution(e, path));
            } else if (o instanceof Failed f) {
                rows.add(error(f, path));
            } else {
                rows.add(status((Finished) o, path));
            }
        }
        return rows;
    }

    /** Unit arrays built by this encoder so far (one per image geometry × grid while they fit its cache). */
    public long unitArraysBuilt() {
        return units.built();
    }

    private Object[] head(ImageFacts image, String path, UTF8String kind) {
        Object[] v = new Object[WIDTH];
        v[Schemas.index("run_id")] = runId;
        v[Schemas.index("image_id")] = utf8(image.id());
        v[Schemas.index("source_path")] = utf8(path);
        v[Schemas.index("image_sha256")] = utf8(image.sha256());
        v[Schemas.index("kind")] = kind;
        return v;
    }

    private InternalRow error(Failed f, String path) {
        Object[] v = head(f.image(), path, ERROR);
        String message = f.message();
        v[Schemas.index("method")] = utf8(f.method());
        v[Schemas.index("stage")] = utf8(f.stage());
        v[Schemas.index("error_class")] = utf8(f.errorClass());
        v[Schemas.index("message")] = utf8(message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "…" : message);
        return new GenericInternalRow(v);
    }

    private InternalRow status(Finished s, String path) {
        Object[] v = head(s.image(), path, IMAGE);
        v[Schemas.index("status")] = utf8(s.status().text());
        return new GenericInternalRow(v);
    }

    private InternalRow attribution(Explained e, String path) {
        ImageFacts image = e.image();
        Attribution a = e.attribution();
        ImageGeometry geometry = image.geometry();
        int predicted = image.scores().predicted();
        QualityScores quality = e.quality();
        Object[] v = head(image, path, ATTRIBUTION);
        v[Schemas.index("image_width")] = geometry.originalWidth();
        v[Schemas.index("image_height")] = geometry.originalHeight();
        v[Schemas.index("model_name")] = modelName;
        v[Schemas.index("model_sha256")] = modelSha256;
        v[Schemas.index("method")] = utf8(a.method());
        v[Schemas.index("params")] = utf8(e.params());
        v[Schemas.index("granularity")] = utf8(a.granularity().name());
        v[Schemas.index("grid_height")] = a.gridHeight();
        v[Schemas.index("grid_width")] = a.gridWidth();
        v[Schemas.index("patch_size")] = a.cellSize();
        v[Schemas.index("input_height")] = card.inputHeight();
        v[Schemas.index("input_width")] = card.inputWidth();
        v[Schemas.index("inference_mode")] = inferenceMode;
        v[Schemas.index("target")] = a.target();
        v[Schemas.index("target_label")] = utf8(card.label(a.target()));
        v[Schemas.index("target_score")] = a.targetScore();
        v[Schemas.index("predicted")] = predicted;
        v[Schemas.index("predicted_label")] = utf8(card.label(predicted));
        v[Schemas.index("predicted_score")] = image.scores().score(predicted);
        v[Schemas.index("scores")] = UnsafeArrayData.fromPrimitiveArray(a.scores());
        v[Schemas.index("units")] = units.of(a, geometry);
        v[Schemas.index("deletion_auc")] = quality != null && run.deletion() ? quality.deletionAuc() : null;
        v[Schemas.index("insertion_auc")] = quality != null && run.insertion() ? quality.insertionAuc() : null;
        v[Schemas.index("model_passes")] = a.modelPasses();
        v[Schemas.index("elapsed_ms")] = e.elapsedMs();
        v[Schemas.index("completeness_gap")] = a.completenessGap();
        return new GenericInternalRow(v);
    }

    private static UTF8String utf8(String s) {
        return s == null ? null : UTF8String.fromString(s);
    }
}
