package dev.vitex.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonObject;
import dev.vitex.core.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hugging Face ViT checkpoints exported by scripts/export_vit.py reproduce the logits the real
 * transformers library computed (expected_logits.json, written by transformers, not by us).
 */
class HfExportedModelTest {

    @ParameterizedTest
    @ValueSource(strings = {"vit-tiny-32px", "vit-tiny-48px-gelu-tanh"})
    void exportedModelReproducesTransformersLogits(String name) {
        JsonObject expected = TestData.json(TestData.resource("hf-checkpoints/" + name + "/expected_logits.json"));
        ModelCard card = ModelCard.load(TestData.resource("hf-exported/" + name + "/" + name + ".json"));
        float[] input = TestData.floats(expected.get("input"));
        float[] logits = TestData.floats(expected.get("logits"));
        int n = logits.length / card.numClasses();
        try (VitModel model = VitModel.load(card); NDManager scope = model.newScope()) {
            NDArray x = scope.create(input, new Shape(n, 3, card.inputHeight(), card.inputWidth()));
            float[] got = model.scores(x, InferenceMode.LOGITS).toFloatArray();
            float diff = TestData.maxAbsDiff(got, logits);
            System.out.printf("%s: max |logit − transformers| = %.3g%n", name, diff);
            assertTrue(diff <= 1e-4, name + " logits differ by " + diff);
            // The exported model is differentiable through DJL.
            TargetScores ts = model.targetScoresWithGradients(x, new int[n], InferenceMode.LOGITS);
            assertEquals(n * 3L * card.inputHeight() * card.inputWidth(), ts.gradients().size());
            assertTrue(TestData.maxAbs(ts.gradients().toFloatArray()) > 0, "gradients are all zero");
        }
    }
}
