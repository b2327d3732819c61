package dev.vitex.core.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitex.core.model.ModelCard;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lime, KernelShap and Sobol validate at construction, with messages that say what to do. */
class MaskParamsTest {
    /** A 64×64 card with 8-pixel patches (the fixture's geometry); validation needs no model file. */
    static final ModelCard CARD = new ModelCard(Path.of("card.json"), "t", "torchscript", Path.of("t.pt"), 64, 64, 8, 3,
            1 / 255.0, new double[] {0.5, 0.5, 0.5}, new double[] {0.5, 0.5, 0.5}, "bilinear", "none", "tensor",
            List.of("a", "b", "c", "d"));

    private static String refused(String method, Map<String, String> params) {
        return assertThrows(IllegalArgumentException.class, () -> Methods.create(method, params, CARD)).getMessage();
    }

    @Test
    void defaultsAreCanonical() {
        ExplainContext ctx = new ExplainContext(null, dev.vitex.core.model.InferenceMode.LOGITS, 8,
                dev.vitex.core.grid.Granularity.PATCH, 42);
        assertEquals("{\"baseline\":\"0.0\",\"cell_size\":8,\"kernel_width\":0.25,\"mask_upsampling\":\"nearest\",\"n\":1000,"
                + "\"remove_probability\":0.5,\"ridge\":1.0,\"seed\":42}", Methods.create("lime", Map.of(), CARD).params(ctx));
        assertEquals("{\"baseline\":\"0.0\",\"cell_size\":8,\"mask_upsampling\":\"nearest\",\"n\":1000,\"seed\":42}",
                Methods.create("kernel_shap", Map.of(), CARD).params(ctx));
        assertEquals("{\"baseline\":\"0.0\",\"cell_size\":8,\"designs\":32,\"mask_upsampling\":\"nearest\","
                + "\"mask_values\":\"continuous\",\"order\":\"total\",\"seed\":42}", Methods.create("sobol", Map.of(), CARD).params(ctx));
        assertTrue(Methods.names().containsAll(List.of("lime", "kernel_shap", "sobol")));
    }

    @Test
    void pixelCellsOverBudgetSuggestACellSize() {
        String m = refused("sobol", Map.of("cell_size", "1"));
        assertTrue(m.contains("sobol.") && m.contains("cell_size=4") && m.contains("max_passes_per_image"), m);
        // Raising the budget is not enough: 2·4096 Sobol' dimensions exceed the direction numbers.
        m = refused("sobol", Map.of("cell_size", "1", "max_passes_per_image", "1000000"));
        assertTrue(m.contains("1000") && m.contains("cell_size=4"), m);
        m = refused("lime", Map.of("cell_size", "1"));
        assertTrue(m.contains("n ≥ 4,097") && m.contains("intercept"), m);
        m = refused("kernel_shap", Map.of("cell_size", "1"));
        assertTrue(m.contains("n ≥ 2g = 8,192") && m.contains("kept alone"), m);
        m = refused("kernel_shap", Map.of("cell_size", "1", "n", "9000", "max_passes_per_image", "5000"));
        assertTrue(m.contains("max_passes_per_image"), m);
    }

    @Test
    void tooFewSamplesForTheUnitsAreRefused() {
        String m = refused("lime", Map.of("n", "50"));
        assertTrue(m.contains("lime.n") && m.contains("n ≥ 65"), m);
        m = refused("kernel_shap", Map.of("n", "100"));
        assertTrue(m.contains("kernel_shap.n") && m.contains("n ≥ 2g = 128"), m);
        Methods.create("kernel_shap", Map.of("n", "128"), CARD);
        Methods.create("lime", Map.of("n", "65"), CARD);
    }

    @Test
    void badValuesNameTheParameterAndTheAllowedValues() {
        assertTrue(refused("sobol", Map.of("order", "second")).contains("[total, first]"));
        assertTrue(refused("sobol", Map.of("mask_values", "soft")).contains("[continuous, binary]"));
        assertTrue(refused("sobol", Map.of("designs", "1")).contains("sobol.designs"));
        assertTrue(refused("lime", Map.of("remove_probability", "1")).contains("lime.remove_probability"));
        assertTrue(refused("lime", Map.of("kernel_width", "0")).contains("lime.kernel_width"));
        assertTrue(refused("lime", Map.of("ridge", "-1")).contains("lime.ridge"));
        assertTrue(refused("kernel_shap", Map.of("cell_size", "64")).contains("≥ 2 units"));
        assertTrue(refused("kernel_shap", Map.of("steps", "3")).contains("unknown parameter kernel_shap.steps"));
        assertTrue(refused("lime", Map.of("cell_size", "7")).contains("must divide"));
    }
}
