package dev.vitex.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.junit.jupiter.api.Test;

/**
 * Rows from outcomes, in Spark's internal form (issue 16): an image's units are built once per
 * geometry and grid and shared by every row that needs them (consecutive images of one size too),
 * every unit's boxes follow design.md's closed form of the resize/crop map, and the row columns
 * carry the outcome's values.
 */
class RowEncoderTest {
    static final ModelCard CARD = ModelCard.load(JobTests.shapesCard());
    static final RowEncoder.RunFacts RUN = new RowEncoder.RunFacts("run", CARD.name(), "model-sha", "logits", true, false);

    static Attribution attribution(Granularity g, int cell, int target) {
        int rows = CARD.inputHeight() / cell;
        int cols = CARD.inputWidth() / cell;
        float[] scores = new float[rows * cols];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = target + i / 1024f;
        }
        return new Attribution("saliency", "{}", g, rows, cols, cell, scores, target, 1.25f, 2, null);
    }

    static ClassScores scores() {
        float[] classScores = new float[CARD.numClasses()];
        classScores[1] = 3f;
        return new ClassScores(classScores);
    }

    /** An original of 300×200 resized to (w + 32)×h, then 16 px cropped from the left: not the model's size. */
    static ImageGeometry offSize() {
        return new ImageGeometry(300, 200, CARD.inputWidth() + 32, CARD.inputHeight(), 0, 16);
    }

    /**
     * design.md § Output: unit (r, c) of cell s covers [r·s, r·s + s) × [c·s, c·s + s) of the input, and
     * (input + crop) · original / resized of the original, per axis; checked for every unit of the row.
     */
    static void assertDocumentedUnits(ArrayData units, int cell, ImageGeometry g) {
        int rows = CARD.inputHeight() / cell;
        int cols = CARD.inputWidth() / cell;
        assertEquals(rows * cols, units.numElements());
        for (int i = 0; i < rows * cols; i++) {
            InternalRow u = units.getStruct(i, Schemas.UNIT.size());
            int r = i / cols;
            int c = i % cols;
            int[] box = {r, c, r * cell, c * cell, r * cell + cell, c * cell + cell};
            for (int k = 0; k < box.length; k++) {
                assertEquals(box[k], u.getInt(k), "unit " + i + " field " + Schemas.UNIT.fields()[k].name());
            }
            double sy = (double) g.originalHeight() / g.resizedHeight();
            double sx = (double) g.originalWidth() / g.resizedWidth();
            double[] original = {(r * cell + g.cropTop()) * sy, (c * cell + g.cropLeft()) * sx,
                (r * cell + cell + g.cropTop()) * sy, (c * cell + cell + g.cropLeft()) * sx};
            for (int k = 0; k < original.length; k++) {
                assertEquals(original[k], u.getFloat(6 + k), 1e-4, "unit " + i + " field " + Schemas.UNIT.fields()[6 + k].name());
            }
        }
    }

    @Test
    void unitsAreSharedAndEveryUnitFollowsTheDocumentedGeometry() {
        int h = CARD.inputHeight();
        int w = CARD.inputWidth();
        ImageGeometry g0 = offSize();
        ImageGeometry g1 = ImageGeometry.identity(w, h);
        ImageFacts a = new ImageFacts(0, "a", "sha-a", g0, scores());
        ImageFacts b = new ImageFacts(1, "b", "sha-b", g1, scores());
        ImageFacts c = new ImageFacts(2, "c", "sha-c", g0, scores()); // the same size as a
        Attribution pixel0 = attribution(Granularity.PIXEL, 1, 0);
        List<ImageOutcome> outcomes = List.of(
                new Explained(a, pixel0, "{}", 3.0, null),
                new Explained(a, attribution(Granularity.PIXEL, 1, 1), "{}", 3.0, null),
                new Explained(a, attribution(Granularity.PATCH, CARD.patchSize(), 1), "{}", 3.0, null),
                new Explained(b, attribution(Granularity.PIXEL, 1, 1), "{}", 3.0, null),
                new Failed(b, "method", "occlusion", "IllegalStateException", "x".repeat(2500)),
                new Finished(a, Status.EXPLAINED),
                new Explained(c, attribution(Granularity.PIXEL, 1, 1), "{}", 3.0, null));
        RowEncoder encoder = new RowEncoder(RUN, CARD);
        List<InternalRow> rows = encoder.encode(outcomes, Arrays.asList("/in/a.png", null, "/in/c.png"));
        int units = Schemas.index("units");
        assertSame(rows.get(0).getArray(units), rows.get(1).getArray(units), "two PIXEL rows of one image share their units");
        assertSame(rows.get(0).getArray(units), rows.get(6).getArray(units), "so do two images of one size");
        assertNotSame(rows.get(0).getArray(units), rows.get(2).getArray(units), "PATCH units are another grid");
        assertNotSame(rows.get(0).getArray(units), rows.get(3).getArray(units), "another size, other units");
        assertEquals(3, encoder.unitArraysBuilt());

        assertDocumentedUnits(rows.get(0).getArray(units), 1, g0);
        assertDocumentedUnits(rows.get(2).getArray(units), CARD.patchSize(), g0);
        assertDocumentedUnits(rows.get(3).getArray(units), 1, g1);
        assertArrayEquals(pixel0.scores(), rows.get(0).getArray(Schemas.index("scores")).toFloatArray());

        InternalRow first = rows.get(0);
        assertEquals("/in/a.png", first.getUTF8String(Schemas.index("source_path")).toString());
        assertEquals(Schemas.ATTRIBUTION, first.getUTF8String(Schemas.index("kind")).toString());
        assertEquals("run", first.getUTF8String(Schemas.index("run_id")).toString());
        assertEquals(300, first.getInt(Schemas.index("image_width")));
        assertEquals(200, first.getInt(Schemas.index("image_height")));
        assertEquals(h, first.getInt(Schemas.index("input_height")));
        assertEquals(1.25f, first.getFloat(Schemas.index("target_score")));
        assertEquals(2L, first.getLong(Schemas.index("model_passes")));
        assertTrue(first.isNullAt(Schemas.index("deletion_auc")), "no quality scores, no AUC");
        assertTrue(first.isNullAt(Schemas.index("completeness_gap")));
        assertEquals(3.0, first.getDouble(Schemas.index("elapsed_ms")));
        assertEquals(1, first.getInt(Schemas.index("predicted")));
        assertEquals(CARD.label(1), first.getUTF8String(Schemas.index("predicted_label")).toString());
        assertEquals(CARD.label(0), first.getUTF8String(Schemas.index("target_label")).toString());
        assertEquals("PIXEL", first.getUTF8String(Schemas.index("granularity")).toString());

        InternalRow error = rows.get(4);
        assertTrue(error.isNullAt(Schemas.index("source_path")));
        assertEquals(2001, error.getUTF8String(Schemas.index("message")).numChars(), "messages are cut at 2000 characters + …");
        assertEquals("occlusion", error.getUTF8String(Schemas.index("method")).toString());
        assertEquals("explained", rows.get(5).getUTF8String(Schemas.index("status")).toString());
    }

    @Test
    void unitArraysOfManySizesStayWithinTheCacheBudget() {
        // PIXEL units of one geometry are ~4.8 MB at 224 px (0.4 MB here): images of ever new sizes must
        // not pile them up; and an evicted size is rebuilt with the same content
        RowEncoder encoder = new RowEncoder(RUN, CARD);
        Attribution pixel = attribution(Granularity.PIXEL, 1, 0);
        ArrayData firstUnits = null;
        for (int k = 0; k < 200; k++) {
            ImageGeometry g = new ImageGeometry(100 + k, 90 + k, CARD.inputWidth(), CARD.inputHeight(), 0, 0);
            InternalRow row = encoder.encode(List.of(new Explained(new ImageFacts(0, "i" + k, "s", g, scores()), pixel,
                    "{}", 1.0, null)), Arrays.asList("/p")).get(0);
            if (k == 0) {
                firstUnits = row.getArray(Schemas.index("units"));
            }
        }
        assertEquals(200, encoder.unitArraysBuilt());
        ImageGeometry g0 = new ImageGeometry(100, 90, CARD.inputWidth(), CARD.inputHeight(), 0, 0);
        InternalRow again = encoder.encode(List.of(new Explained(new ImageFacts(0, "again", "s", g0, scores()), pixel,
                "{}", 1.0, null)), Arrays.asList("/p")).get(0);
        assertEquals(201, encoder.unitArraysBuilt(), "the first size was evicted long ago: rebuilt");
        assertEquals(firstUnits, again.getArray(Schemas.index("units")), "with the same bytes");
        assertDocumentedUnits(again.getArray(Schemas.index("units")), 1, g0);
    }
}
