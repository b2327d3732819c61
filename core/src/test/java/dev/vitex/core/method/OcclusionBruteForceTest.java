package dev.vitex.core.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vitex.core.Fixtures;
import dev.vitex.core.TestData;
import dev.vitex.core.TestModels;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.model.InferenceMode;
import dev.vitex.core.model.VitModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Occlusion against a brute-force loop: each occluded input is built here with plain float arrays
 * (the cell's pixels set to the baseline in every channel) and scored alone by VitModel.
 */
class OcclusionBruteForceTest {

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"0.0; 8; 7", "[0.25,-0.5,0.75]; 8; 64", "0.0; 16; 5"})
    void equalsSingleForwards(String baseline, int cell, int batchSize) {
        VitModel model = TestModels.shapesModel();
        Fixtures.Shape s = TestModels.shapes().get(cell == 16 ? 20 : 5);
        double[] fill = baseline.startsWith("[")
                ? java.util.Arrays.stream(baseline.substring(1, baseline.length() - 1).split(",")).mapToDouble(Double::parseDouble).toArray()
                : new double[] {Double.parseDouble(baseline), Double.parseDouble(baseline), Double.parseDouble(baseline)};
        Attribution a = Methods.create("occlusion", Map.of("baseline", baseline, "cell_size", Integer.toString(cell)), model.card())
                .explain(TestModels.context(model, batchSize, Granularity.PATCH, 1), List.of(TestModels.item(s))).get(0);
        int cols = 64 / cell;
        float clean = single(model, s.input(), s.label());
        float[] expected = new float[cols * cols];
        for (int j = 0; j < expected.length; j++) {
            float[] z = s.input().clone();
            int y0 = (j / cols) * cell;
            int x0 = (j % cols) * cell;
            for (int c = 0; c < 3; c++) {
                for (int y = y0; y < y0 + cell; y++) {
                    for (int x = x0; x < x0 + cell; x++) {
                        z[c * 4096 + y * 64 + x] = (float) fill[c];
                    }
                }
            }
            expected[j] = clean - single(model, z, s.label());
        }
        float diff = TestData.maxAbsDiff(expected, a.scores());
        System.out.printf("occlusion (baseline %s, cell %d, batch %d) vs brute force: max |diff| %.3g (max |A| %.3g)%n",
                baseline, cell, batchSize, diff, TestData.maxAbs(expected));
        assertTrue(diff <= 1e-5 * Math.max(1, TestData.maxAbs(expected)), "diff " + diff);
        assertEquals(clean, a.targetScore(), 1e-5);
        assertEquals(cols * cols + 1, a.modelPasses());
    }

    private static float single(VitModel model, float[] input, int target) {
        try (NDManager scope = model.newScope()) {
            return model.targetScores(scope.create(input, new Shape(1, 3, 64, 64)), new int[] {target}, InferenceMode.LOGITS)
                    .toFloatArray()[0];
        }
    }
}
