package dev.vitex.core.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.vitex.core.Fixtures;
import dev.vitex.core.TestData;
import dev.vitex.core.TestModels;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.model.VitModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * attention_rollout (every head fusion, discard 0 and a non-zero discard ratio) and
 * attention_gradient against torch: float64 references from hooks on the attention softmax of
 * the plain-torch TinyViT with the same weights (scripts/make_fixture_model.py → attention.json).
 */
class AttentionReferenceTest {
    private static final JsonObject REF = TestData.json(TestData.resource("reference/attention.json"));

    private record Case(ExplainItem item, JsonObject ref) {}

    private static List<Case> cases() {
        List<Case> out = new ArrayList<>();
        for (JsonElement e : REF.getAsJsonArray("images")) {
            JsonObject ref = e.getAsJsonObject();
            Fixtures.Shape s = TestModels.shapes().stream()
                    .filter(x -> x.imageId().equals(ref.get("image_id").getAsString())).findFirst().orElseThrow();
            out.add(new Case(s.item(ref.get("target").getAsInt()), ref));
        }
        return out;
    }

    /** Explains the reference images in one batch; returns the worst |diff| relative to each image's max. */
    private static double worst(String method, Map<String, String> params, java.util.function.Function<JsonObject, JsonElement> expected) {
        VitModel model = TestModels.shapesModel();
        List<Case> cases = cases();
        List<Attribution> out = Methods.create(method, params, model.card())
                .explain(TestModels.context(model, 3, Granularity.PATCH, 0), cases.stream().map(Case::item).toList());
        double worst = 0;
        for (int i = 0; i < cases.size(); i++) {
            float[] want = TestData.floats(expected.apply(cases.get(i).ref()));
            Attribution a = out.get(i);
            assertEquals(64, a.scores().length);
            assertEquals(cases.get(i).item().target(0), a.target());
            assertEquals(1, a.modelPasses());
            worst = Math.max(worst, TestData.maxAbsDiff(a.scores(), want) / TestData.maxAbs(want));
        }
        return worst;
    }

    @Test
    void rolloutMatchesTorchForEveryHeadFusionAndDiscardRatio() {
        String discard = REF.get("discard_ratio").getAsString();
        StringBuilder report = new StringBuilder();
        for (String fusion : List.of("mean", "max", "min")) {
            for (String ratio : List.of("0", discard)) {
                String key = fusion + "_" + ratio;
                double w = worst("attention_rollout", Map.of("head_fusion", fusion, "discard_ratio", ratio),
                        ref -> ref.getAsJsonObject("rollout").get(key));
                report.append(String.format(" %s %.2e", key, w));
                assertTrue(w <= 1e-4, "rollout " + key + ": max diff " + w + " of the max");
            }
        }
        System.out.println("attention_rollout vs torch (max |diff| / max):" + report);
    }

    @Test
    void attentionGradientMatchesTorch() {
        double w = worst("attention_gradient", Map.of(), ref -> ref.get("attention_gradient"));
        System.out.printf("attention_gradient vs torch: max |diff| %.2e of the max%n", w);
        assertTrue(w <= 1e-4, "attention_gradient: max diff " + w + " of the max");
    }

    /** Rollout does not depend on the target; the gradient-weighted attention does. */
    @Test
    void onlyTheGradientMethodDependsOnTheTarget() {
        VitModel model = TestModels.shapesModel();
        ExplainItem item = cases().get(0).item();
        ExplainItem both = new ExplainItem(item.imageKey(), item.input(), new int[] {0, 2});
        var context = TestModels.context(model, 4, Granularity.PATCH, 0);
        List<Attribution> rollout = Methods.create("attention_rollout", Map.of(), model.card()).explain(context, List.of(both));
        List<Attribution> gradient = Methods.create("attention_gradient", Map.of(), model.card()).explain(context, List.of(both));
        assertEquals(0f, TestData.maxAbsDiff(rollout.get(0).scores(), rollout.get(1).scores()));
        assertTrue(TestData.maxAbsDiff(gradient.get(0).scores(), gradient.get(1).scores()) > 1e-3);
    }

    @Test
    void pixelGranularityUpsamplesThePatchScores() {
        VitModel model = TestModels.shapesModel();
        ExplainItem item = cases().get(0).item();
        Attribution patch = Methods.create("attention_rollout", Map.of(), model.card())
                .explain(TestModels.context(model, 1, Granularity.PATCH, 0), List.of(item)).get(0);
        Attribution pixel = Methods.create("attention_rollout", Map.of("resize", "nearest"), model.card())
                .explain(TestModels.context(model, 1, Granularity.PIXEL, 0), List.of(item)).get(0);
        assertEquals(64 * 64, pixel.scores().length);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                assertEquals(patch.score(y / 8, x / 8), pixel.score(y, x), 0f);
            }
        }
    }
}
