package dev.vitex.core.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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

    /** A same-size whole-pixel box is copied: the weighted sums, computed here tap by tap, give the same floats. */
    @Test
    void aSelectionIsCopiedAsItsWeightedSum() {
        int h = 7;
        int w = 9;
        float[] src = new float[2 * (h + 4) * (w + 4)];
        for (int i = 0; i < src.length; i++) {
            src[i] = (float) Math.sin(i * 0.37) * 100;
        }
        for (ResampleFilter f : ResampleFilter.values()) {
            // the h×w box starting 2 pixels into an (h+4)×(w+4) region, scale 1
            ResampleFilter.Weights wy = f.weights(h + 4, h, 1.0, 2.0);
            ResampleFilter.Weights wx = f.weights(w + 4, w, 1.0, 2.0);
            assertTrue(wy.selection() != null && wx.selection() != null, f.name());
            float[] got = ResampleFilter.apply(src, 2, h + 4, w + 4, wy, wx);
            for (int p = 0; p < 2; p++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        double sum = 0;
                        for (int a = 0; a < wy.weights()[y].length; a++) {
                            double row = 0;
                            for (int b = 0; b < wx.weights()[x].length; b++) {
                                row += wx.weights()[x][b] * src[(p * (h + 4) + wy.first()[y] + a) * (w + 4) + wx.first()[x] + b];
                            }
                            sum += wy.weights()[y][a] * row;
                        }
                        assertEquals((float) sum, got[(p * h + y) * w + x], 0f, f + " " + p + "," + y + "," + x);
                        assertEquals(src[(p * (h + 4) + y + 2) * (w + 4) + x + 2], got[(p * h + y) * w + x], 0f);
                    }
                }
            }
        }
        // a shift by half a pixel, or a real resize, mixes neighbours: no selection
        assertNull(ResampleFilter.BILINEAR.weights(13, 9, 1.0, 2.5).selection());
        assertNull(ResampleFilter.BILINEAR.weights(18, 9, 2.0, 0.0).selection());
        assertNull(ResampleFilter.BICUBIC.weights(9, 18, 0.5, 0.0).selection());
    }
}
