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
import dev.vitex.core.perturb.RiseMasks;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * RISE against torch given the same masks: rise.json holds each image's mask draws (grids and
 * shifts, from a seeded numpy recipe) and the saliency torch computes from them in float64
 * (bilinear upsampling with align_corners=False, crop, baseline 0, Σ f·M / (N·p)).
 */
class RiseReferenceTest {
    private static final JsonObject REF = TestData.json(TestData.resource("reference/rise.json"));

    private static List<RiseMasks.Draw> draws(JsonObject image) {
        List<RiseMasks.Draw> out = new ArrayList<>();
        var shifts = image.getAsJsonArray("shifts");
        var grids = image.getAsJsonArray("grids");
        for (int i = 0; i < grids.size(); i++) {
            var shift = shifts.get(i).getAsJsonArray();
            out.add(new RiseMasks.Draw(TestData.floats(grids.get(i)), shift.get(0).getAsInt(), shift.get(1).getAsInt()));
        }
        return out;
    }

    @Test
    void matchesTorchGivenTheSameMasks() {
        VitModel model = TestModels.shapesModel();
        Map<String, String> params = Map.of("s", REF.get("s").getAsString(), "keep_probability", REF.get("p").getAsString(),
                "baseline", REF.get("baseline").getAsString());
        StringBuilder report = new StringBuilder();
        for (JsonElement e : REF.getAsJsonArray("images")) {
            JsonObject image = e.getAsJsonObject();
            Fixtures.Shape s = TestModels.shapes().stream()
                    .filter(x -> x.imageId().equals(image.get("image_id").getAsString())).findFirst().orElseThrow();
            ExplainItem item = s.item(image.get("target").getAsInt());
            for (Granularity g : List.of(Granularity.PIXEL, Granularity.PATCH)) {
                Rise rise = Rise.withDraws(new ParamReader("rise", params), model.card(), draws(image));
                Attribution a = rise.explain(TestModels.context(model, 40, g, 0), List.of(item)).get(0);
                float[] want = TestData.floats(image.get(g == Granularity.PIXEL ? "pixel" : "patch"));
                double diff = TestData.maxAbsDiff(a.scores(), want) / TestData.maxAbs(want);
                report.append(String.format(" %s/%s %.2e", s.imageId(), g, diff));
                assertTrue(diff <= 1e-4, s.imageId() + " " + g + ": max diff " + diff + " of the max");
                assertEquals(REF.get("n").getAsInt() + 1, a.modelPasses());
            }
        }
        System.out.println("rise vs torch (max |diff| / max):" + report);
    }

    /** The recipe's statistics: a fraction p of cells kept, shifts within one cell, weights in [0, 1]. */
    @Test
    void masksFollowTheRecipe() {
        RiseMasks masks = new RiseMasks(7, 0.3, 64, 64);
        SplittableRandom rng = new SplittableRandom(1);
        double kept = 0;
        float[] m = new float[64 * 64];
        int n = 2000;
        for (int i = 0; i < n; i++) {
            RiseMasks.Draw d = masks.draw(rng);
            for (float v : d.grid()) {
                kept += v;
            }
            assertTrue(d.dy() >= 0 && d.dy() < 10 && d.dx() >= 0 && d.dx() < 10);
            masks.fill(d, m);
            for (float v : m) {
                assertTrue(v >= -1e-6 && v <= 1 + 1e-6);
            }
        }
        assertEquals(0.3, kept / (n * 49.0), 0.01);
        // an all-kept grid gives an all-ones mask whatever the shift (bilinear weights sum to 1)
        float[] ones = new float[49];
        java.util.Arrays.fill(ones, 1f);
        masks.fill(new RiseMasks.Draw(ones, 9, 3), m);
        for (float v : m) {
            assertEquals(1f, v, 1e-6f);
        }
    }
}
