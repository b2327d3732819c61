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
 * The exported Hugging Face checkpoints' forward_attention through DJL: the logits are the ones
 * transformers computed (expected_logits.json), the probabilities are rows of a softmax, and the
 * gate gradients are finite and not all zero.
 */
class HfAttentionTest {

    @ParameterizedTest
    @ValueSource(strings = {"vit-tiny-32px", "vit-tiny-48px-gelu-tanh"})
    void forwardAttentionReproducesTransformersLogits(String name) {
        JsonObject expected = TestData.json(TestData.resource("hf-checkpoints/" + name + "/expected_logits.json"));
        ModelCard card = ModelCard.load(TestData.resource("hf-exported/" + name + "/" + name + ".json"));
        AttentionSpec spec = card.attention();
        float[] input = TestData.floats(expected.get("input"));
        float[] logits = TestData.floats(expected.get("logits"));
        int n = logits.length / card.numClasses();
        int t = spec.tokens(card.patchCount());
        try (VitModel model = VitModel.load(card); NDManager scope = model.newScope()) {
            NDArray x = scope.create(input, new Shape(n, 3, card.inputHeight(), card.inputWidth()));
            VitModel.AttentionOutput out = model.attention(x, InferenceMode.LOGITS);
            float diff = TestData.maxAbsDiff(out.scores().toFloatArray(), logits);
            assertTrue(diff <= 1e-4, name + " forward_attention logits differ from transformers' by " + diff);
            assertEquals(new Shape(spec.layers(), n, spec.heads(), t, t), out.maps().getShape());
            float[] rowSums = out.maps().sum(new int[] {-1}).toFloatArray();
            for (float s : rowSums) {
                assertEquals(1f, s, 1e-5f);
            }
            VitModel.AttentionOutput grads = model.attentionGradients(x, new int[n], InferenceMode.LOGITS);
            assertEquals(out.maps().getShape(), grads.maps().getShape());
            float[] g = grads.maps().toFloatArray();
            assertTrue(TestData.maxAbs(g) > 0 && Float.isFinite(TestData.maxAbs(g)), "gate gradients");
            float[] scores = grads.scores().toFloatArray();
            for (int i = 0; i < n; i++) {
                assertEquals(logits[i * card.numClasses()], scores[i], 1e-4f);
            }
        }
    }
}
