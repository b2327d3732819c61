package dev.vitex.core.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitex.core.TestModels;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.model.VitModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * models/test/single-cell reads only patch (row 2, col 5) = unit 21 (scripts/make_fixture_model.py):
 * all of the output's variance is unit 21's, so Sobol must rank it first, and every other unit's
 * index is 0 (f_A and f_Cj differ only in a unit the model never reads).
 */
class SobolSingleCellTest {

    @ParameterizedTest
    @CsvSource({"total,continuous", "first,continuous", "total,binary", "first,binary"})
    void onlyTheCellThatMattersHasAnIndex(String order, String maskValues) {
        VitModel model = TestModels.testModel("single-cell");
        Explainer sobol = Methods.create("sobol", Map.of("order", order, "mask_values", maskValues), model.card());
        float[] x = TestModels.randomInput(5);
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.5f + 0.5f * x[i]; // a patch mean far from 0, so removing it changes the output
        }
        Attribution a = sobol.explain(TestModels.context(model, 64, Granularity.PATCH, 1),
                List.of(new ExplainItem(TestModels.key("single"), x, new int[] {1}))).get(0);
        System.out.printf("sobol %s/%s on single-cell: S_21 = %.4f, max other = %.3g%n", order, maskValues,
                a.scores()[21], otherMax(a.scores()));
        assertEquals(21, a.argmax());
        assertTrue(a.scores()[21] > 0.5, "S_21 = " + a.scores()[21]);
        assertTrue(otherMax(a.scores()) <= 1e-6, "other units " + otherMax(a.scores()));
        assertEquals((64 + 2) * 32 + 1, a.modelPasses());
    }

    private static double otherMax(float[] s) {
        double m = 0;
        for (int j = 0; j < s.length; j++) {
            if (j != 21) {
                m = Math.max(m, Math.abs(s[j]));
            }
        }
        return m;
    }
}
