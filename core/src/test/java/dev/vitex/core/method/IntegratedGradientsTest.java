package dev.vitex.core.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.vitex.core.Fixtures;
import dev.vitex.core.TestData;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.model.InferenceMode;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.model.VitModel;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IntegratedGradientsTest {
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

    private static List<Attribution> explain(Map<String, String> params, Granularity granularity, List<ExplainItem> items) {
        Explainer ig = Methods.create("integrated_gradients", params, card);
        return ig.explain(new ExplainContext(model, InferenceMode.LOGITS, 64, granularity, 0), items);
    }

    /** Completeness: Σ A = f(x) − f(b) within 1% on every fixture image, with the default 50 Gauss–Legendre nodes. */
    @Test
    void completenessHoldsOnEveryFixtureImage() {
        List<ExplainItem> items = shapes.stream().map(s -> s.item(s.label())).toList();
        List<Attribution> out = explain(Map.of(), Granularity.PATCH, items);
        double worst = 0;
        float[] baselineScores = baselineScores(items);
        for (int i = 0; i < out.size(); i++) {
            Attribution a = out.get(i);
            assertNotNull(a.completenessGap());
            double delta = a.targetScore() - baselineScores[i];
            // Independently of the reported gap: the PATCH scores are means over 3 channels and 8×8 pixels.
            double sum = 0;
            for (float s : a.scores()) {
                sum += s;
            }
            sum *= 3 * 64;
            double gap = Math.abs(sum - delta) / Math.abs(delta);
            assertEquals(sum - delta, a.completenessGap(), 1e-3 * Math.abs(delta) + 1e-4);
            worst = Math.max(worst, gap);
            assertTrue(gap <= 0.01, shapes.get(i).imageId() + ": completeness gap " + gap);
            assertEquals(51, a.modelPasses() - 1, "50 gradient passes + f(x) and f(b)");
        }
        System.out.printf("IG completeness: worst gap %.3g%% of |f(x) − f(b)| over %d images%n", 100 * worst, out.size());
    }

    private static float[] baselineScores(List<ExplainItem> items) {
        try (var scope = model.newScope()) {
            float[] zeros = new float[items.size() * 3 * 64 * 64];
            int[] targets = items.stream().mapToInt(i -> i.target(0)).toArray();
            return model.targetScores(scope.create(zeros, new ai.djl.ndarray.types.Shape(items.size(), 3, 64, 64)),
                    targets, InferenceMode.LOGITS).toFloatArray();
        }
    }

    /** Pixel-level IG equals torch's many-step IG (2048 midpoint steps) within 1e-3 of the max. */
    @Test
    void matchesTorchManyStepReference() {
        JsonObject ref = TestData.json(TestData.resource("reference/integrated_gradients.json"));
        Map<String, Fixtures.Shape> byId = shapes.stream().collect(Collectors.toMap(Fixtures.Shape::imageId, s -> s));
        for (JsonElement e : ref.getAsJsonArray("images")) {
            JsonObject image = e.getAsJsonObject();
            Fixtures.Shape s = byId.get(image.get("image_id").getAsString());
            int target = image.get("target").getAsInt();
            Attribution a = explain(Map.of(), Granularity.PIXEL, List.of(s.item(target))).get(0);
            float[] expected = TestData.floats(image.get("attribution_channel_mean"));
            float rel = TestData.maxAbsDiff(a.scores(), expected) / TestData.maxAbs(expected);
            System.out.printf("IG vs torch %s: max diff %.3g of max%n", s.imageId(), rel);
            assertTrue(rel <= 1e-3, s.imageId() + ": IG differs from torch by " + rel + " of the max");
            assertEquals(image.get("f_x").getAsFloat(), a.targetScore(), 1e-4);
        }
    }

    /**
     * Every quadrature rule's pixel map approaches torch's 2048-step midpoint map as the steps grow:
     * at 64 steps within 1e-3 of the map's max for the second-order rules (Gauss–Legendre, trapezoid,
     * midpoint), 1e-2 for the first-order left and right Riemann sums, and closer than at 16 steps.
     */
    @Test
    void everyRuleConverges() {
        JsonObject image = TestData.json(TestData.resource("reference/integrated_gradients.json"))
                .getAsJsonArray("images").get(0).getAsJsonObject();
        Fixtures.Shape s = shapes.stream().filter(x -> x.imageId().equals(image.get("image_id").getAsString()))
                .findFirst().orElseThrow();
        ExplainItem item = s.item(image.get("target").getAsInt());
        float[] expected = TestData.floats(image.get("attribution_channel_mean"));
        float scale = TestData.maxAbs(expected);
        for (String rule : List.of("gauss_legendre", "trapezoid", "riemann_left", "riemann_right", "riemann_middle")) {
            float[] coarse = explain(Map.of("rule", rule, "steps", "16"), Granularity.PIXEL, List.of(item)).get(0).scores();
            float[] fine = explain(Map.of("rule", rule, "steps", "64"), Granularity.PIXEL, List.of(item)).get(0).scores();
            float errorCoarse = TestData.maxAbsDiff(coarse, expected) / scale;
            float errorFine = TestData.maxAbsDiff(fine, expected) / scale;
            System.out.printf("IG %s vs torch: max diff %.3g of max at 16 steps, %.3g at 64%n", rule, errorCoarse, errorFine);
            double tolerance = rule.startsWith("riemann_left") || rule.startsWith("riemann_right") ? 1e-2 : 1e-3;
            assertTrue(errorFine <= tolerance, rule + ": " + errorFine + " of the max at 64 steps");
            assertTrue(errorFine < errorCoarse || errorFine <= 1e-3, rule + " does not converge: " + errorCoarse + " → " + errorFine);
        }
    }

    @Test
    void badParametersNameThemselves() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Methods.create("integrated_gradients", Map.of("rule", "simpson"), card));
        assertTrue(e.getMessage().contains("integrated_gradients.rule") && e.getMessage().contains("gauss_legendre"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Methods.create("integrated_gradients", Map.of("stepz", "5"), card));
        assertTrue(e.getMessage().contains("integrated_gradients.stepz") && e.getMessage().contains("steps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Methods.create("integrated_gradients", Map.of("baseline", "[1,2]"), card));
        assertTrue(e.getMessage().contains("baseline") && e.getMessage().contains("3 values"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Methods.create("integrated_gradients", Map.of("steps", "0"), card));
        assertTrue(e.getMessage().contains("steps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Methods.create("gradcam", Map.of(), card));
        assertTrue(e.getMessage().contains("unknown method") && e.getMessage().contains("saliency"), e.getMessage());
    }
}
