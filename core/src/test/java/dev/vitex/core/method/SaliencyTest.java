package dev.vitex.core.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vitex.core.Fixtures;
import dev.vitex.core.TestData;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.image.ImageGeometry;
import dev.vitex.core.grid.UnitGrid;
import dev.vitex.core.grid.Unit;
import dev.vitex.core.model.InferenceMode;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.model.VitModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SaliencyTest {
    static ModelCard card;
    static VitModel model;
    static List<Fixtures.Shape> shapes;

    @BeforeAll
    static void load() {
        card = ModelCard.load(TestData.shapesCard());
        model = VitModel.load(card);
        shapes = Fixtures.shapes(card);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    /** The top patch of input × gradient (PATCH, defaults) touches the shape's box on ≥ 80% of images. */
    @Test
    void topPatchLiesOnTheShape() {
        Explainer saliency = Methods.create("saliency", Map.of(), card);
        List<Attribution> out = saliency.explain(new ExplainContext(model, InferenceMode.LOGITS, 16, Granularity.PATCH, 0),
                shapes.stream().map(s -> s.item(s.label())).toList());
        List<Unit> units = UnitGrid.patches(8, 64, 64).units(ImageGeometry.identity(64, 64));
        int hits = 0;
        for (int i = 0; i < out.size(); i++) {
            assertEquals(8, out.get(i).gridHeight());
            if (shapes.get(i).overlaps(units.get(out.get(i).argmax()))) {
                hits++;
            }
        }
        double rate = (double) hits / out.size();
        System.out.printf("saliency pointing game: %d/%d = %.2f%n", hits, out.size(), rate);
        assertTrue(rate >= 0.8, "pointing game " + rate);
    }

    /** PIXEL saliency with channel_reduce=sum equals Σ_c ∂f/∂x ⊙ x computed directly from VitModel. */
    @Test
    void pixelMapIsInputTimesGradient() {
        Fixtures.Shape s = shapes.get(5);
        Explainer saliency = Methods.create("saliency", Map.of("channel_reduce", "sum"), card);
        Attribution a = saliency.explain(new ExplainContext(model, InferenceMode.SOFTMAX, 4, Granularity.PIXEL, 0),
                List.of(s.item(s.label()))).get(0);
        float[] expected = new float[64 * 64];
        try (NDManager scope = model.newScope()) {
            float[] g = model.targetScoresWithGradients(scope.create(s.input(), new Shape(1, 3, 64, 64)),
                    new int[] {s.label()}, InferenceMode.SOFTMAX).gradients().toFloatArray();
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < 64 * 64; i++) {
                    expected[i] += g[c * 4096 + i] * s.input()[c * 4096 + i];
                }
            }
        }
        assertTrue(TestData.maxAbsDiff(a.scores(), expected) <= 1e-6 * Math.max(1e-12, TestData.maxAbs(expected)) + 1e-9);
    }
}
