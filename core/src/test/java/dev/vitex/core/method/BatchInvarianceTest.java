package dev.vitex.core.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitex.core.Fixtures;
import dev.vitex.core.TestModels;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.model.VitModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * methods.md § Batching: batch composition must not change any result beyond float rounding.
 * Every method, on three images (one with two targets), with batch sizes 64, 7 and 1 and with the
 * images in another order; results are matched by image and target and compared to the batch-64
 * run (max |diff| ≤ 1e-5 · max(1, max |A|)).
 */
class BatchInvarianceTest {

    static Stream<Arguments> methods() {
        return AllMethods.fast().entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
    }

    private static List<ExplainItem> items() {
        List<Fixtures.Shape> s = TestModels.shapes();
        return List.of(TestModels.item(s.get(0)), s.get(7).item(s.get(7).label(), (s.get(7).label() + 1) % 4), TestModels.item(s.get(17)));
    }

    private static Map<String, Attribution> byKey(List<ExplainItem> items, List<Attribution> out) {
        Map<String, Attribution> m = new HashMap<>();
        int k = 0;
        for (ExplainItem item : items) {
            for (int t = 0; t < item.targetCount(); t++) {
                Attribution a = out.get(k++);
                assertEquals(item.target(t), a.target());
                m.put(item.imageKey() + "/" + a.target(), a);
            }
        }
        assertEquals(out.size(), k);
        return m;
    }

    @ParameterizedTest
    @MethodSource("methods")
    void sameResultForAnyBatchingAndOrder(String method, Map<String, String> params) {
        VitModel model = TestModels.shapesModel();
        Explainer e = Methods.create(method, params, model.card());
        List<ExplainItem> items = items();
        Map<String, Attribution> reference = byKey(items, e.explain(TestModels.context(model, 64, Granularity.PATCH, 5), items));
        List<ExplainItem> shuffled = new ArrayList<>(List.of(items.get(2), items.get(0), items.get(1)));
        double worst = 0;
        StringBuilder report = new StringBuilder();
        for (Object[] run : new Object[][] {{7, items, "batch 7"}, {1, items, "batch 1"}, {7, shuffled, "shuffled"}}) {
            @SuppressWarnings("unchecked")
            List<ExplainItem> order = (List<ExplainItem>) run[1];
            Map<String, Attribution> got = byKey(order, e.explain(TestModels.context(model, (int) run[0], Granularity.PATCH, 5), order));
            double diff = 0;
            for (Map.Entry<String, Attribution> ref : reference.entrySet()) {
                float[] a = ref.getValue().scores();
                float[] b = got.get(ref.getKey()).scores();
                double scale = 0;
                double d = 0;
                for (int i = 0; i < a.length; i++) {
                    scale = Math.max(scale, Math.abs(a[i]));
                    d = Math.max(d, Math.abs(a[i] - b[i]));
                }
                diff = Math.max(diff, d / Math.max(1, scale));
                assertEquals(ref.getValue().modelPasses(), got.get(ref.getKey()).modelPasses());
            }
            report.append(String.format(" %s %.2g", run[2], diff));
            worst = Math.max(worst, diff);
        }
        System.out.printf("batch invariance %-20s max relative diff:%s%n", method, report);
        assertTrue(worst <= 1e-5, method + ": " + report);
    }
}
