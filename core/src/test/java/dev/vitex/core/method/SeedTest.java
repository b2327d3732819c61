package dev.vitex.core.method;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitex.core.TestData;
import dev.vitex.core.TestModels;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.model.VitModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The same seed gives identical output; another seed changes stochastic methods and nothing else. */
class SeedTest {

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> methods() {
        return BatchInvarianceTest.methods();
    }

    @ParameterizedTest
    @MethodSource("methods")
    void seedDeterminesTheOutput(String method, Map<String, String> params) {
        VitModel model = TestModels.shapesModel();
        List<ExplainItem> items = List.of(TestModels.item(TestModels.shapes().get(11)));
        float[] first = Methods.create(method, params, model.card())
                .explain(TestModels.context(model, 32, Granularity.PATCH, 1), items).get(0).scores();
        float[] again = Methods.create(method, params, model.card())
                .explain(TestModels.context(model, 32, Granularity.PATCH, 1), items).get(0).scores();
        float[] other = Methods.create(method, params, model.card())
                .explain(TestModels.context(model, 32, Granularity.PATCH, 2), items).get(0).scores();
        assertArrayEquals(first, again, method + ": same seed, different output");
        float diff = TestData.maxAbsDiff(first, other);
        if (AllMethods.STOCHASTIC.contains(method)) {
            assertTrue(diff > 1e-3 * TestData.maxAbs(first), method + ": another seed changed nothing (" + diff + ")");
            String p = Methods.create(method, params, model.card()).params(TestModels.context(model, 32, Granularity.PATCH, 2));
            assertTrue(p.contains("\"seed\":2"), p);
        } else {
            assertEquals(0f, diff, method + " is deterministic but depends on the seed");
        }
    }
}
