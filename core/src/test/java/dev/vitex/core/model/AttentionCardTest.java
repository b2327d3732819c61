package dev.vitex.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.vitex.core.TestData;
import dev.vitex.core.method.Methods;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The card's optional {@code attention} field, and the attention methods refusing models without it. */
class AttentionCardTest {
    @TempDir
    Path dir;

    private Path shapesCardWith(Consumer<JsonObject> edit) throws IOException {
        JsonObject card = JsonParser.parseString(Files.readString(TestData.shapesCard())).getAsJsonObject();
        Files.copy(TestData.shapesCard().resolveSibling(card.get("file").getAsString()), dir.resolve("m.pt"));
        card.addProperty("file", "m.pt");
        edit.accept(card);
        Path path = dir.resolve("m.json");
        Files.writeString(path, card.toString());
        return path;
    }

    @Test
    void theFixtureCardDescribesItsAttention() {
        AttentionSpec spec = ModelCard.load(TestData.shapesCard()).attention();
        assertEquals(new AttentionSpec("forward_attention", 4, 4, 1), spec);
        assertEquals(65, spec.tokens(64));
    }

    @Test
    void prefixTokensDefaultToOne() throws IOException {
        Path p = shapesCardWith(c -> c.getAsJsonObject("attention").remove("prefix_tokens"));
        assertEquals(1, ModelCard.load(p).attention().prefixTokens());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"layers\":4,\"heads\":4}", "{\"method\":\"forward_attention\",\"layers\":0,\"heads\":4}",
            "{\"method\":\"forward_attention\",\"layers\":4,\"heads\":4,\"registers\":4}", "[1,2]",
            "{\"method\":\"forward_attention\",\"layers\":4}"})
    void badAttentionFieldsNameTheField(String value) throws IOException {
        Path p = shapesCardWith(c -> c.add("attention", JsonParser.parseString(value)));
        ModelCardException e = assertThrows(ModelCardException.class, () -> ModelCard.load(p));
        assertTrue(e.getMessage().contains("field 'attention'"), e.getMessage());
    }

    @Test
    void modelsWithoutAttentionAreRefusedInOneLine() {
        ModelCard card = ModelCard.load(TestData.testModel("additive-linear"));
        assertNull(card.attention());
        for (String method : new String[] {"attention_rollout", "attention_gradient"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Methods.create(method, Map.of(), card));
            assertTrue(e.getMessage().startsWith(method + " needs a model whose card has an 'attention' field"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"));
        }
        // the other methods do not care
        Methods.create("rise", Map.of("n", "10"), card);
        Methods.create("random", Map.of(), card);
    }

    /** A card with the wrong layer count is caught on the first call, naming the card's field. */
    @Test
    void aWrongLayerCountIsReportedAgainstTheCard() throws IOException {
        Path p = shapesCardWith(c -> c.getAsJsonObject("attention").addProperty("layers", 3));
        try (VitModel model = VitModel.load(ModelCard.load(p)); var scope = model.newScope()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> model.attention(scope.zeros(new ai.djl.ndarray.types.Shape(1, 3, 64, 64)), InferenceMode.LOGITS));
            assertTrue(e.getMessage().contains("attention"), e.getMessage());
        }
    }
}
