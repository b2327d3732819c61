package dev.vitex.core.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vitex.core.Fixtures;
import dev.vitex.core.TestData;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.model.InferenceMode;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.model.VitModel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * methods.md § Model passes: saliency takes f(x) from its forward + backward pass (1 pass per image);
 * the other gradient methods evaluate f(x) and f(b) in no-grad forward requests packed across images.
 * The scores must equal an independent no-grad forward of x and b within 1e-6 relative, at batch sizes
 * that split the requests across batches, and model_passes must count exactly the samples evaluated.
 */
class ScoresFromGradientPassTest {
    private static final double RELATIVE = 1e-6;
    static ModelCard card;
    static VitModel model;
    static List<Fixtures.Shape> shapes;

    @BeforeAll
    static void load() {
        card = ModelCard.load(TestData.shapesCard());
        model = VitModel.load(card);
        shapes = Fixtures.shapes(card).subList(0, 4);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static List<Attribution> explain(String method, Map<String, String> params, int batchSize) {
        Explainer explainer = Methods.create(method, params, card);
        return explainer.explain(new ExplainContext(model, InferenceMode.LOGITS, batchSize, Granularity.PIXEL, 3),
                shapes.stream().map(s -> s.item(s.label())).toList());
    }

    /** No-grad target scores of {@code inputs} (one image each), the reference the gradient pass must match. */
    private static float[] forward(List<float[]> inputs) {
        float[] flat = new float[inputs.size() * 3 * 64 * 64];
        for (int i = 0; i < inputs.size(); i++) {
            System.arraycopy(inputs.get(i), 0, flat, i * 3 * 64 * 64, 3 * 64 * 64);
        }
        int[] targets = shapes.stream().mapToInt(Fixtures.Shape::label).toArray();
        try (NDManager scope = model.newScope()) {
            return model.targetScores(scope.create(flat, new Shape(inputs.size(), 3, 64, 64)), targets,
                    InferenceMode.LOGITS).toFloatArray();
        }
    }

    private static void assertClose(double expected, double actual, String what) {
        assertEquals(expected, actual, RELATIVE * Math.abs(expected) + 1e-7, what);
    }

    @Test
    void saliencyTakesOnePassPerImageAndItsScoreIsTheForward() {
        float[] fx = forward(shapes.stream().map(Fixtures.Shape::input).toList());
        for (int batch : new int[] {64, 3, 1}) {
            List<Attribution> out = explain("saliency", Map.of(), batch);
            for (int i = 0; i < out.size(); i++) {
                assertEquals(1, out.get(i).modelPasses(), "saliency: one forward + backward gives f(x) and ∇f(x)");
                assertClose(fx[i], out.get(i).targetScore(), "f(x) of image " + i + " at batch " + batch);
            }
        }
    }

    /** IG: f(x) and f(b) are right and the gap is Σ A − (f(x) − f(b)) with the no-grad f(b). */
    @Test
    void integratedGradientsScoresAndGapMatchTheForward() {
        float[] fx = forward(shapes.stream().map(Fixtures.Shape::input).toList());
        float[] fb = forward(shapes.stream().map(s -> new float[3 * 64 * 64]).toList());
        for (int batch : new int[] {64, 5, 2}) {
            List<Attribution> out = explain("integrated_gradients",
                    Map.of("steps", "4", "channel_reduce", "sum"), batch);
            for (int i = 0; i < out.size(); i++) {
                Attribution a = out.get(i);
                assertEquals(4 + 2, a.modelPasses(), "4 path samples + x + b");
                assertClose(fx[i], a.targetScore(), "f(x) of image " + i + " at batch " + batch);
                assertNotNull(a.completenessGap());
                double sum = 0;
                double mass = 0;
                for (float v : a.scores()) {
                    sum += v;
                    mass += Math.abs(v);
                }
                double delta = (double) fx[i] - fb[i];
                assertEquals(delta, sum - a.completenessGap(), RELATIVE * (Math.abs(delta) + mass) + 1e-6,
                        "f(x) − f(b) implied by the gap, image " + i + " at batch " + batch);
            }
        }
    }

    @Test
    void noiseMethodsSpendOnePassOnX() {
        float[] fx = forward(shapes.stream().map(Fixtures.Shape::input).toList());
        for (String method : List.of("smooth_grad", "gradient_shap")) {
            List<Attribution> out = explain(method, Map.of("n", "3"), 2);
            for (int i = 0; i < out.size(); i++) {
                int expected = method.equals("smooth_grad") ? 3 + 1 : 3 + 2;
                assertEquals(expected, out.get(i).modelPasses(), method + " model passes");
                assertClose(fx[i], out.get(i).targetScore(), method + " f(x) of image " + i);
                assertTrue(Float.isFinite(out.get(i).scores()[0]));
            }
        }
    }
}
