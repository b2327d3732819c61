package dev.vitex.jobs.output;

import dev.vitex.core.grid.Unit;
import dev.vitex.core.grid.UnitGrid;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Turns a group's outcomes into rows of {@link Schemas#TASK_OUTPUT}. The {@code units} of an image
 * (one struct per grid cell, 50,176 at PIXEL granularity on a 224-px model) are built once per image
 * and grid and shared by all its rows.
 */
public final class RowEncoder {
    private static final int MAX_MESSAGE = 2000;
    private static final int WIDTH = Schemas.TASK_OUTPUT.size();

    /** The run's constants that every attribution row repeats. */
    public record RunFacts(String runId, String modelName, String modelSha256, String inferenceMode, boolean deletion,
                           boolean insertion) {}

    private final RunFacts run;
    private final ModelCard card;

    public RowEncoder(RunFacts run, ModelCard card) {
        this.run = run;
        this.card = card;
    }

    /** @param sourcePaths each image's source path (null where there is none), by its index in the group */
    public List<Row> encode(List<ImageOutcome> outcomes, List<String> sourcePaths) {
        Map<String, Seq<Row>> units = new HashMap<>();
        List<Row> rows = new ArrayList<>(outcomes.size());
        for (ImageOutcome o : outcomes) {
            String path = sourcePaths.get(o.image().index());
            if (o instanceof Explained e) {
                rows.add(attribution(e, path, units));
            } else if (o instanceof Failed f) {
                rows.add(error(f, path));
            } else {
                rows.add(status((Finished) o, path));
            }
        }
        return rows;
    }

    private Object[] head(ImageFacts image, String path, String kind) {
        Object[] v = new Object[WIDTH];
        v[Schemas.index("run_id")] = run.runId();
        v[Schemas.index("image_id")] = image.id();
        v[Schemas.index("source_path")] = path;
        v[Schemas.index("image_sha256")] = image.sha256();
        v[Schemas.index("kind")] = kind;
        return v;
    }

    private Row error(Failed f, String path) {
        Object[] v = head(f.image(), path, Schemas.ERROR);
        String message = f.message();
        v[Schemas.index("method")] = f.method();
        v[Schemas.index("stage")] = f.stage();
        v[Schemas.index("error_class")] = f.errorClass();
        v[Schemas.index("message")] = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "…" : message;
        return RowFactory.create(v);
    }

    private Row status(Finished s, String path) {
        Object[] v = head(s.image(), path, Schemas.IMAGE);
        v[Schemas.index("status")] = s.status().text();
        return RowFactory.create(v);
    }

    private Row attribution(Explained e, String path, Map<String, Seq<Row>> unitCache) {
        ImageFacts image = e.image();
        Attribution a = e.attribution();
        ImageGeometry geometry = image.geometry();
        int inputH = card.inputHeight();
        int inputW = card.inputWidth();
        String key = image.index() + ":" + a.granularity() + ":" + a.cellSize() + ":" + a.gridHeight() + "×" + a.gridWidth();
        Seq<Row> units = unitCache.computeIfAbsent(key, k -> units(a, geometry, inputH, inputW));
        float[] s = a.scores();
        List<Float> scores = new ArrayList<>(s.length);
        for (float f : s) {
            scores.add(f);
        }
        int predicted = image.scores().predicted();
        QualityScores quality = e.quality();
        Object[] v = head(image, path, Schemas.ATTRIBUTION);
        v[Schemas.index("image_width")] = geometry.originalWidth();
        v[Schemas.index("image_height")] = geometry.originalHeight();
        v[Schemas.index("model_name")] = run.modelName();
        v[Schemas.index("model_sha256")] = run.modelSha256();
        v[Schemas.index("method")] = a.method();
        v[Schemas.index("params")] = e.params();
        v[Schemas.index("granularity")] = a.granularity().name();
        v[Schemas.index("grid_height")] = a.gridHeight();
        v[Schemas.index("grid_width")] = a.gridWidth();
        v[Schemas.index("patch_size")] = a.cellSize();
        v[Schemas.index("input_height")] = inputH;
        v[Schemas.index("input_width")] = inputW;
        v[Schemas.index("inference_mode")] = run.inferenceMode();
        v[Schemas.index("target")] = a.target();
        v[Schemas.index("target_label")] = card.label(a.target());
        v[Schemas.index("target_score")] = a.targetScore();
        v[Schemas.index("predicted")] = predicted;
        v[Schemas.index("predicted_label")] = card.label(predicted);
        v[Schemas.index("predicted_score")] = image.scores().score(predicted);
        v[Schemas.index("scores")] = CollectionConverters.asScala(scores).toSeq();
        v[Schemas.index("units")] = units;
        v[Schemas.index("deletion_auc")] = quality != null && run.deletion() ? quality.deletionAuc() : null;
        v[Schemas.index("insertion_auc")] = quality != null && run.insertion() ? quality.insertionAuc() : null;
        v[Schemas.index("model_passes")] = a.modelPasses();
        v[Schemas.index("elapsed_ms")] = e.elapsedMs();
        v[Schemas.index("completeness_gap")] = a.completenessGap();
        return RowFactory.create(v);
    }

    /** One struct per cell of the attribution's grid, with its box in the input and in the original image. */
    private static Seq<Row> units(Attribution a, ImageGeometry geometry, int inputH, int inputW) {
        UnitGrid grid = new UnitGrid(a.granularity(), a.cellSize(), inputH, inputW);
        if (grid.rows() != a.gridHeight() || grid.cols() != a.gridWidth()) {
            throw new IllegalStateException(a.method() + ": a " + a.gridHeight() + "×" + a.gridWidth() + " grid does not tile "
                    + inputH + "×" + inputW + " with cells of " + a.cellSize());
        }
        List<Unit> units = grid.units(geometry);
        List<Row> rows = new ArrayList<>(units.size());
        for (Unit u : units) {
            rows.add(RowFactory.create(u.row(), u.col(), u.y0(), u.x0(), u.y1(), u.x1(), u.oy0(), u.ox0(), u.oy1(), u.ox1()));
        }
        return CollectionConverters.asScala(rows).toSeq();
    }
}
