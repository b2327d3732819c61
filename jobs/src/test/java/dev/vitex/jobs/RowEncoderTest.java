package dev.vitex.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitex.core.grid.Granularity;
import dev.vitex.core.image.ImageGeometry;
import dev.vitex.core.method.Attribution;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.model.TargetSelector.ClassScores;
import dev.vitex.core.pipeline.ImageFacts;
import dev.vitex.core.pipeline.ImageOutcome;
import dev.vitex.core.pipeline.ImageOutcome.Explained;
import dev.vitex.core.pipeline.ImageOutcome.Failed;
import dev.vitex.core.pipeline.ImageOutcome.Finished;
import dev.vitex.core.pipeline.ImageOutcome.Status;
import dev.vitex.jobs.output.RowEncoder;
import dev.vitex.jobs.output.Schemas;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import scala.collection.immutable.Seq;

/**
 * Rows from outcomes: an image's units are built once per grid and shared by its rows (issue 13:
 * a PIXEL row used to build its own ~10 MB of unit structs), their boxes follow the closed form of
 * the resize/crop map, and the row columns carry the outcome's values.
 */
class RowEncoderTest {
    private static final ModelCard CARD = ModelCard.load(JobTests.shapesCard());

    private static Attribution attribution(Granularity g, int cell, int target) {
        int rows = CARD.inputHeight() / cell;
        int cols = CARD.inputWidth() / cell;
        float[] scores = new float[rows * cols];
        Arrays.fill(scores, target + 0.5f);
        return new Attribution("saliency", "{}", g, rows, cols, cell, scores, target, 1.25f, 2, null);
    }

    @Test
    void unitsAreSharedPerImageAndGridAndFollowTheGeometry() {
        // an original of 300×200 resized to (w + 32)×h, then 16 px cropped from the left
        int h = CARD.inputHeight();
        int w = CARD.inputWidth();
        ImageGeometry g0 = new ImageGeometry(300, 200, w + 32, h, 0, 16);
        ImageGeometry g1 = ImageGeometry.identity(w, h);
        float[] classScores = new float[CARD.numClasses()];
        classScores[1] = 3f;
        ClassScores scores = new ClassScores(classScores);
        ImageFacts a = new ImageFacts(0, "a", "sha-a", g0, scores);
        ImageFacts b = new ImageFacts(1, "b", "sha-b", g1, scores);
        List<ImageOutcome> outcomes = List.of(
                new Explained(a, attribution(Granularity.PIXEL, 1, 0), "{}", 3.0, null),
                new Explained(a, attribution(Granularity.PIXEL, 1, 1), "{}", 3.0, null),
                new Explained(a, attribution(Granularity.PATCH, CARD.patchSize(), 1), "{}", 3.0, null),
                new Explained(b, attribution(Granularity.PIXEL, 1, 1), "{}", 3.0, null),
                new Failed(b, "method", "occlusion", "IllegalStateException", "x".repeat(2500)),
                new Finished(a, Status.EXPLAINED));
        RowEncoder encoder = new RowEncoder(new RowEncoder.RunFacts("run", CARD.name(), "model-sha", "logits", true, false),
                CARD);
        List<Row> rows = encoder.encode(outcomes, Arrays.asList("/in/a.png", null));
        int units = Schemas.index("units");
        assertSame(rows.get(0).get(units), rows.get(1).get(units), "two PIXEL rows of one image share their units");
        assertNotSame(rows.get(0).get(units), rows.get(2).get(units), "PATCH units are another grid");
        assertNotSame(rows.get(0).get(units), rows.get(3).get(units), "another image, other units");

        @SuppressWarnings("unchecked")
        Seq<Row> pixelUnits = (Seq<Row>) rows.get(0).get(units);
        assertEquals(h * w, pixelUnits.size());
        Row u = pixelUnits.apply(5 * w + 7); // row 5, col 7
        assertEquals(List.of(5, 7, 5, 7, 6, 8), List.of(u.getInt(0), u.getInt(1), u.getInt(2), u.getInt(3), u.getInt(4),
                u.getInt(5)));
        // original = (input + crop) · original / resized, per axis
        assertEquals((float) (5.0 * 200 / h), u.getFloat(6), 1e-4);
        assertEquals((float) ((7.0 + 16) * 300 / (w + 32)), u.getFloat(7), 1e-4);
        assertEquals((float) (6.0 * 200 / h), u.getFloat(8), 1e-4);
        assertEquals((float) ((8.0 + 16) * 300 / (w + 32)), u.getFloat(9), 1e-4);

        Row first = rows.get(0);
        assertEquals("/in/a.png", first.getString(Schemas.index("source_path")));
        assertEquals(Schemas.ATTRIBUTION, first.getString(Schemas.index("kind")));
        assertEquals(300, first.getInt(Schemas.index("image_width")));
        assertEquals(200, first.getInt(Schemas.index("image_height")));
        assertTrue(first.isNullAt(Schemas.index("deletion_auc")), "no quality scores, no AUC");
        assertEquals(3.0, first.getDouble(Schemas.index("elapsed_ms")));
        assertEquals(1, first.getInt(Schemas.index("predicted")));
        assertEquals(CARD.label(1), first.getString(Schemas.index("predicted_label")));

        Row error = rows.get(4);
        assertTrue(error.isNullAt(Schemas.index("source_path")));
        assertEquals(2001, error.getString(Schemas.index("message")).length(), "messages are cut at 2000 characters + …");
        assertEquals("occlusion", error.getString(Schemas.index("method")));
        assertEquals("explained", rows.get(5).getString(Schemas.index("status")));
    }
}
