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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Sliding-window Occlusion (the PIXEL default path, and explicit window/stride) against torch's
 * brute force (reference/occlusion_windows.json, scripts/make_method_references.py): one float64
 * forward of the fixture ViT per window set to 0.0, each pixel the mean drop of its windows.
 */
class OcclusionWindowTest {

    private static Attribution explain(Map<String, String> params, Granularity granularity, Fixtures.Shape s, int target) {
        VitModel model = TestModels.shapesModel();
        return Methods.create("occlusion", params, model.card())
                .explain(TestModels.context(model, 48, granularity, 0), List.of(s.item(target))).get(0);
    }

    @Test
    void pixelMapsMatchTorchBruteForce() {
        JsonObject ref = TestData.json(TestData.resource("reference/occlusion_windows.json"));
        Map<String, Fixtures.Shape> byId = TestModels.shapes().stream()
                .collect(Collectors.toMap(Fixtures.Shape::imageId, s -> s));
        for (JsonElement e : ref.getAsJsonArray("images")) {
            JsonObject image = e.getAsJsonObject();
            Fixtures.Shape s = byId.get(image.get("image_id").getAsString());
            int target = image.get("target").getAsInt();
            int window = image.get("window").getAsInt();
            int stride = image.get("stride").getAsInt();
            float[] expected = TestData.floats(image.get("pixel_map"));
            Map<String, String> params = new HashMap<>();
            if (window != 8 || stride != 4) { // 8 / 4 is the PIXEL default: the patch size and half of it
                params.put("window", Integer.toString(window));
                params.put("stride", Integer.toString(stride));
            }
            Attribution pixels = explain(params, Granularity.PIXEL, s, target);
            float scale = TestData.maxAbs(expected);
            float diff = TestData.maxAbsDiff(expected, pixels.scores());
            System.out.printf("occlusion %s window %d stride %d (PIXEL%s): max |diff| %.3g (max |A| %.3g)%n", s.imageId(),
                    window, stride, params.isEmpty() ? " default" : "", diff, scale);
            assertTrue(diff <= 1e-4 * Math.max(1, scale), s.imageId() + " window " + window + ": " + diff);
            assertEquals(image.get("target_score").getAsFloat(), pixels.targetScore(), 1e-4);
            assertEquals(image.get("windows").getAsInt() + 1, pixels.modelPasses());
            assertEquals(64, pixels.gridHeight());
            if (!params.isEmpty()) {
                // At PATCH granularity the same windows give each patch the mean of its pixels.
                Attribution patches = explain(params, Granularity.PATCH, s, target);
                float[] means = new float[64];
                for (int p = 0; p < 64 * 64; p++) {
                    means[(p / 64 / 8) * 8 + (p % 64) / 8] += expected[p] / 64;
                }
                float patchDiff = TestData.maxAbsDiff(means, patches.scores());
                assertTrue(patchDiff <= 1e-4 * Math.max(1, scale), "PATCH: " + patchDiff);
            }
        }
    }
}
