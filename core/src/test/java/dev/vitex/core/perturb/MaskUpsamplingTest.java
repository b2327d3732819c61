package dev.vitex.core.perturb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.vitex.core.TestData;
import dev.vitex.core.TestModels;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Soft mask expansion against torch's {@code F.interpolate(mode, align_corners=False)} values
 * (reference/mask_upsampling.json, scripts/make_method_references.py), through the engine path the
 * mask methods use: {@link MaskApplier} with x = 0 and replacement 1 returns the expanded mask in
 * every channel.
 */
class MaskUpsamplingTest {

    @ParameterizedTest
    @ValueSource(strings = {"bilinear", "bicubic"})
    void expandedMasksMatchTorchInterpolate(String mode) {
        JsonObject ref = TestData.json(TestData.resource("reference/mask_upsampling.json"));
        for (JsonElement e : ref.getAsJsonArray("cases")) {
            JsonObject c = e.getAsJsonObject();
            int rows = c.get("rows").getAsInt();
            int cols = c.get("cols").getAsInt();
            int height = c.get("height").getAsInt();
            int width = c.get("width").getAsInt();
            float[] mask = TestData.floats(c.get("mask"));
            float[] expected = TestData.floats(c.get(mode));
            MaskApplier applier = new MaskApplier(rows, cols, height, width, MaskUpsampling.parse(mode));
            float[] expanded;
            try (NDManager scope = TestModels.shapesModel().newScope()) {
                NDArray x = scope.zeros(new Shape(1, 2, height, width));
                NDArray one = scope.ones(new Shape(1, 2, height, width));
                NDArray z = applier.apply(scope, mask, x, one);
                assertEquals(new Shape(1, 2, height, width), z.getShape());
                expanded = z.toFloatArray();
            }
            int plane = height * width;
            float[] second = Arrays.copyOfRange(expanded, plane, 2 * plane);
            expanded = Arrays.copyOf(expanded, plane);
            float diff = TestData.maxAbsDiff(expected, expanded);
            System.out.printf("mask_upsampling %s %d×%d → %d×%d: max |diff| %.3g%n", mode, rows, cols, height, width, diff);
            assertTrue(diff <= 2e-6, mode + " " + rows + "×" + cols + " → " + height + "×" + width + ": " + diff);
            assertEquals(0f, TestData.maxAbsDiff(expanded, second), "channels differ");
        }
    }
}
