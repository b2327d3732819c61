package dev.vitex.core.method;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small settings of every method, for tests where the property does not need the defaults' sample counts. */
final class AllMethods {
    private AllMethods() {}

    static final List<String> STOCHASTIC = List.of("smooth_grad", "var_grad", "square_grad", "gradient_shap", "lime",
            "kernel_shap", "sobol", "rise", "random");

    /** Method name → parameters; kernel_shap needs n ≥ 2g = 128 and lime n ≥ g + 1 = 65 on 64 units. */
    static Map<String, Map<String, String>> fast() {
        Map<String, Map<String, String>> m = new LinkedHashMap<>();
        m.put("saliency", Map.of());
        m.put("integrated_gradients", Map.of("steps", "8"));
        m.put("smooth_grad", Map.of("n", "4"));
        m.put("var_grad", Map.of("n", "4"));
        m.put("square_grad", Map.of("n", "4"));
        m.put("gradient_shap", Map.of("n", "4"));
        m.put("occlusion", Map.of());
        m.put("lime", Map.of("n", "100"));
        m.put("kernel_shap", Map.of("n", "130"));
        m.put("sobol", Map.of("designs", "4"));
        m.put("attention_rollout", Map.of("discard_ratio", "0.5"));
        m.put("attention_gradient", Map.of());
        m.put("rise", Map.of("n", "40"));
        m.put("random", Map.of());
        return m;
    }
}
