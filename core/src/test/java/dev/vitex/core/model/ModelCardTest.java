package dev.vitex.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.vitex.core.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ModelCardTest {
    @TempDir
    Path dir;

    private Path writeCard(Consumer<JsonObject> edit) throws IOException {
        Path model = TestData.resource("hf-exported/vit-tiny-32px/vit-tiny-32px.pt");
        Files.copy(model, dir.resolve("m.pt"));
        JsonObject card = new JsonObject();
        card.addProperty("name", "m");
        card.addProperty("format", "torchscript");
        card.addProperty("file", "m.pt");
        JsonArray size = new JsonArray();
        size.add(32);
        size.add(32);
        card.add("input_size", size);
        card.addProperty("patch_size", 4);
        card.addProperty("channels", 3);
        card.addProperty("rescale", 1 / 255.0);
        JsonArray half = new JsonArray();
        for (int i = 0; i < 3; i++) {
            half.add(0.5);
        }
        card.add("mean", half);
        card.add("std", half.deepCopy());
        card.addProperty("resize", "bilinear");
        card.addProperty("crop", "none");
        card.addProperty("output", "tensor");
        JsonArray labels = new JsonArray();
        labels.add("cat");
        labels.add("dog");
        labels.add("bird");
        card.add("labels", labels);
        edit.accept(card);
        Path path = dir.resolve("m.json");
        Files.writeString(path, card.toString());
        return path;
    }

    @Test
    void validCardLoads() throws IOException {
        ModelCard card = ModelCard.load(writeCard(c -> {}));
        assertEquals(32, card.inputHeight());
        assertEquals(4, card.patchSize());
        assertEquals("dog", card.label(1));
        assertEquals(dir.resolve("m.pt").toAbsolutePath(), card.modelFile());
    }

    /** A model is code: a card may only point into its own folder unless the caller allows more. */
    @Test
    void modelFileOutsideTheCardFolderIsRefused() throws IOException {
        Path card = writeCard(c -> {});
        Path sub = Files.createDirectories(dir.resolve("sub"));
        Files.copy(dir.resolve("m.pt"), sub.resolve("inner.pt"));
        Path outside = Files.createDirectories(dir.resolve("cards"));
        Files.move(card, outside.resolve("m.json"));
        Path moved = outside.resolve("m.json");
        String json = Files.readString(moved);
        for (String file : new String[] {"../m.pt", dir.resolve("m.pt").toAbsolutePath().toString(), "x/../../m.pt"}) {
            Files.writeString(moved, json.replace("\"m.pt\"", "\"" + file.replace("\\", "\\\\") + "\""));
            ModelCardException e = assertThrows(ModelCardException.class, () -> ModelCard.load(moved), file);
            assertTrue(e.getMessage().contains("'file'") && e.getMessage().contains("model_allow_outside_paths"), e.getMessage());
            assertEquals(dir.resolve("m.pt").toAbsolutePath(), ModelCard.load(moved, true).modelFile(), file);
        }
        // a relative path inside the card's folder is fine
        Files.move(moved, dir.resolve("m2.json"));
        Files.writeString(dir.resolve("m2.json"), json.replace("\"m.pt\"", "\"sub/inner.pt\""));
        assertEquals(sub.resolve("inner.pt").toAbsolutePath(), ModelCard.load(dir.resolve("m2.json")).modelFile());
    }

    @ParameterizedTest
    @ValueSource(strings = {"name", "format", "file", "input_size", "patch_size", "channels", "rescale", "mean", "std",
        "resize", "crop", "output", "labels"})
    void missingFieldIsNamed(String field) throws IOException {
        Path card = writeCard(c -> c.remove(field));
        ModelCardException e = assertThrows(ModelCardException.class, () -> ModelCard.load(card));
        assertTrue(e.getMessage().contains("'" + field + "' is missing"), e.getMessage());
    }

    @Test
    void badFieldsAreNamed() throws IOException {
        assertField("patch_size", c -> c.addProperty("patch_size", 5));
        assertField("resize", c -> c.addProperty("resize", "lanczos"));
        assertField("crop", c -> c.addProperty("crop", "left"));
        assertField("std", c -> {
            JsonArray a = new JsonArray();
            a.add(0.5);
            a.add(0.0);
            a.add(0.5);
            c.add("std", a);
        });
        assertField("mean", c -> c.add("mean", new JsonPrimitive(0.5)));
        assertField("format", c -> c.addProperty("format", "onnx"));
        assertField("output", c -> c.addProperty("output", "list"));
        assertField("meen", c -> c.addProperty("meen", 1));
        assertField("channels", c -> c.addProperty("channels", 1));
    }

    private void assertField(String field, Consumer<JsonObject> edit) throws IOException {
        Files.deleteIfExists(dir.resolve("m.pt"));
        Path card = writeCard(edit);
        ModelCardException e = assertThrows(ModelCardException.class, () -> ModelCard.load(card));
        assertTrue(e.getMessage().contains("field '" + field + "'"), e.getMessage());
        assertTrue(e.getMessage().contains(card.toString()), "message names the card: " + e.getMessage());
    }

    @Test
    void missingModelFileIsNamed() throws IOException {
        Path card = writeCard(c -> c.addProperty("file", "nowhere.pt"));
        ModelCardException e = assertThrows(ModelCardException.class, () -> ModelCard.load(card));
        assertTrue(e.getMessage().contains("'file'") && e.getMessage().contains("nowhere.pt"), e.getMessage());
    }

    /** precisions: a file per bf16/fp16, inside the card's folder; needed only when that precision runs. */
    @Test
    void precisionsAreFilesInsideTheCardFolderCheckedWhenUsed() throws IOException {
        Path listed = writeCard(c -> c.add("precisions", JsonParser.parseString("{\"bf16\": \"m.bf16.pt\"}")));
        ModelCard card = ModelCard.load(listed); // the bf16 file is not there: fine for an fp32 run
        assertEquals(card.modelFile(), card.fileFor(Precision.FP32));
        ModelCardException absent = assertThrows(ModelCardException.class, () -> card.fileFor(Precision.BF16));
        assertTrue(absent.getMessage().contains("m.bf16.pt, which does not exist"), absent.getMessage());
        Files.copy(dir.resolve("m.pt"), dir.resolve("m.bf16.pt"));
        assertEquals(dir.resolve("m.bf16.pt").toAbsolutePath().normalize(), card.fileFor(Precision.BF16));
        ModelCardException fp16 = assertThrows(ModelCardException.class, () -> card.fileFor(Precision.FP16));
        assertTrue(fp16.getMessage().contains("has no fp16 variant (card field 'precisions' lists only [bf16])"), fp16.getMessage());

        for (String bad : new String[] {"{\"fp32\": \"m.pt\"}", "{\"int8\": \"m.pt\"}", "{\"bf16\": 3}", "[\"m.pt\"]",
                "{\"bf16\": \"../m.bf16.pt\"}"}) {
            Files.delete(dir.resolve("m.pt"));
            Path c = writeCard(o -> o.add("precisions", JsonParser.parseString(bad)));
            ModelCardException e = assertThrows(ModelCardException.class, () -> ModelCard.load(c), bad);
            assertTrue(e.getMessage().contains("field 'precisions'"), bad + ": " + e.getMessage());
        }
    }

    @Test
    void missingCardAndInvalidJson() throws IOException {
        ModelCardException missing = assertThrows(ModelCardException.class, () -> ModelCard.load(dir.resolve("none.json")));
        assertTrue(missing.getMessage().contains("not found"), missing.getMessage());
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"name\": ");
        ModelCardException invalid = assertThrows(ModelCardException.class, () -> ModelCard.load(bad));
        assertTrue(invalid.getMessage().contains("not valid JSON"), invalid.getMessage());
    }

    @Test
    void corruptModelFileFailsWithItsPath() throws IOException {
        Path card = writeCard(c -> {});
        Files.writeString(dir.resolve("m.pt"), "not a torchscript archive");
        ModelCard loaded = ModelCard.load(card);
        ModelCardException e = assertThrows(ModelCardException.class, () -> VitModel.load(loaded).close());
        assertTrue(e.getMessage().contains("m.pt"), e.getMessage());
    }
}
