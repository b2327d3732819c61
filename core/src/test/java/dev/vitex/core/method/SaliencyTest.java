package dev.vitex.core.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.vitex.core.Fixtures;
import dev.vitex.core.TestData;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.grid.Unit;
import dev.vitex.core.grid.UnitGrid;
import dev.vitex.core.image.ImageGeometry;
import dev.vitex.core.model.InferenceMode;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.model.VitModel;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
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

    /**
     * PIXEL saliency with channel_reduce=sum equals Σ_c ∂f/∂x ⊙ x with torch's float64 autograd
     * gradients (reference/gradients.json, scripts/make_fixture_model.py), in every inference mode.
     * Tolerances as in VitModelTest: float32 against float64, looser where the softmax saturates.
     */
    @Test
    void pixelMapIsInputTimesTorchGradient() {
        JsonObject ref = TestData.json(TestData.resource("reference/gradients.json"));
        Map<String, Fixtures.Shape> byId = shapes.stream().collect(Collectors.toMap(Fixtures.Shape::imageId, s -> s));
        Explainer saliency = Methods.create("saliency", Map.of("channel_reduce", "sum"), card);
        for (JsonElement e : ref.getAsJsonArray("images")) {
            JsonObject image = e.getAsJsonObject();
            Fixtures.Shape s = byId.get(image.get("image_id").getAsString());
            int target = image.get("target").getAsInt();
            for (InferenceMode mode : InferenceMode.values()) {
                JsonObject torch = image.getAsJsonObject("modes").getAsJsonObject(mode.cliName());
                float[] g = TestData.floats(torch.get("gradient"));
                float[] expected = new float[64 * 64];
                for (int c = 0; c < 3; c++) {
                    for (int i = 0; i < 64 * 64; i++) {
                        expected[i] += g[c * 4096 + i] * s.input()[c * 4096 + i];
                    }
                }
                Attribution a = saliency.explain(new ExplainContext(model, mode, 4, Granularity.PIXEL, 0),
                        List.of(s.item(target))).get(0);
                float rel = TestData.maxAbsDiff(a.scores(), expected) / TestData.maxAbs(expected);
                System.out.printf("saliency %s %s vs torch: max diff %.3g of max%n", s.imageId(), mode.cliName(), rel);
                assertTrue(rel <= (mode == InferenceMode.LOGITS ? 1e-4 : 5e-4), s.imageId() + " " + mode + ": " + rel);
                assertEquals(torch.get("score").getAsFloat(), a.targetScore(), 1e-4);
            }
        }
    }
}
