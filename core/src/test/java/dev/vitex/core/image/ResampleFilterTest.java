package dev.vitex.core.image;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.vitex.core.TestData;
import org.junit.jupiter.api.Test;

/** Against torch's interpolate(..., antialias=True, align_corners=False) and adaptive_avg_pool2d (reference/resize.json). */
class ResampleFilterTest {
    @Test
    void kernelsMatchTorch() {
        JsonObject ref = TestData.json(TestData.resource("reference/resize.json"));
        int cases = 0;
        for (JsonElement e : ref.getAsJsonArray("cases")) {
            JsonObject c = e.getAsJsonObject();
            int ih = c.get("in_h").getAsInt();
            int iw = c.get("in_w").getAsInt();
            int oh = c.get("out_h").getAsInt();
            int ow = c.get("out_w").getAsInt();
            float[] input = TestData.floats(c.get("input"));
            for (ResampleFilter r : new ResampleFilter[] {ResampleFilter.BILINEAR, ResampleFilter.BICUBIC, ResampleFilter.AREA}) {
                if (!c.has(r.cliName())) {
                    continue;
                }
                float[] expected = TestData.floats(c.get(r.cliName()));
                float diff = TestData.maxAbsDiff(r.apply(input, 1, ih, iw, oh, ow), expected);
                System.out.printf("resize %s %dx%d→%dx%d: max diff %.2g%n", r.cliName(), ih, iw, oh, ow, diff);
                assertTrue(diff <= 1e-5, r + " " + ih + "x" + iw + "→" + oh + "x" + ow + " differs by " + diff);
                cases++;
            }
        }
        assertTrue(cases >= 15, "only " + cases + " cases checked");
    }
}
