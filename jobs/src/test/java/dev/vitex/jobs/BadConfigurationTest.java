package dev.vitex.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitex.core.method.Methods;
import dev.vitex.jobs.AttributionJob;
import dev.vitex.jobs.driver.AttributionRun;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad configurations stop before Spark starts: exit status 2 and exactly one line on stderr that
 * names the problem (no stack trace).
 */
class BadConfigurationTest {
    @TempDir
    static Path tmp;
    static Path images;
    static String card;

    @BeforeAll
    static void setUp() throws IOException {
        images = JobTests.copySamples(Files.createDirectories(tmp.resolve("in")));
        card = JobTests.shapesCard().toString();
    }

    static Path write(String name, String text) {
        try {
            Path p = tmp.resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
            return p;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A copy of the shapes card with one field replaced (JSON text), beside a copy of its model file. */
    static String cardWith(String name, String field, String json) {
        try {
            Path dir = Files.createDirectories(tmp.resolve("cards/" + name));
            Path src = JobTests.shapesCard();
            var o = com.google.gson.JsonParser.parseString(Files.readString(src)).getAsJsonObject();
            String file = o.get("file").getAsString();
            Files.copy(src.resolveSibling(file), dir.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            if (json == null) {
                o.remove(field);
            } else {
                o.add(field, com.google.gson.JsonParser.parseString(json));
            }
            Path c = dir.resolve("card.json");
            Files.writeString(c, o.toString());
            return c.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Stream<Arguments> cases() throws IOException {
        String out = tmp.resolve("out").toString();
        Path notVitex = Files.createDirectories(tmp.resolve("precious"));
        Files.writeString(notVitex.resolve("thesis.tex"), "do not delete");
        Path aFile = write("a-file.txt", "x");
        Path textOnly = Files.createDirectories(tmp.resolve("text-only"));
        Files.writeString(textOnly.resolve("notes.txt"), "no images here");
        Path garbageModel = Files.createDirectories(tmp.resolve("cards/garbage"));
        Files.write(garbageModel.resolve("vit.pt"), "not a TorchScript archive".getBytes(StandardCharsets.UTF_8));
        var o = com.google.gson.JsonParser.parseString(Files.readString(JobTests.shapesCard())).getAsJsonObject();
        o.addProperty("file", "vit.pt");
        Files.writeString(garbageModel.resolve("card.json"), o.toString());
        var labels = o.getAsJsonArray("labels").deepCopy();
        labels.add("one-too-many");
        String input = images.toString();
        List<Arguments> c = new ArrayList<>(List.of(
                Arguments.of("missing model", List.of("--model", "/nonexistent/vit.json"), "model card not found"),
                Arguments.of("no model", List.of("--model", ""), "no model"),
                Arguments.of("unknown card field", List.of("--model", cardWith("meen", "meen", "[0.5]")), "field 'meen'"),
                Arguments.of("card without its model file", List.of("--model", cardWith("nofile", "file", "\"missing.pt\"")),
                        "field 'file'"),
                Arguments.of("card with a bad patch size", List.of("--model", cardWith("patch", "patch_size", "7")), "patch_size"),
                Arguments.of("not a TorchScript file", List.of("--model", garbageModel.resolve("card.json").toString()),
                        "cannot load TorchScript"),
                Arguments.of("card with more labels than the model has classes",
                        List.of("--model", cardWith("labels", "labels", labels.toString())), "labels"),
                Arguments.of("unknown method", List.of("--methods", "saliency,frobnication"), "unknown method \"frobnication\""),
                Arguments.of("unknown parameter", List.of("--param", "saliency.bogus=1"), "saliency.bogus"),
                Arguments.of("parameter of an unknown method", List.of("--param", "salency.steps=1"), "unknown method \"salency\""),
                Arguments.of("bad parameter value", List.of("--methods", "integrated_gradients", "--param",
                        "integrated_gradients.steps=0"), "integrated_gradients.steps"),
                Arguments.of("cell size that does not divide the input", List.of("--methods", "occlusion", "--param",
                        "occlusion.cell_size=5"), "cell_size"),
                Arguments.of("output below a file", List.of("--output", aFile.resolve("out").toString()), "--output"),
                Arguments.of("output is a file", List.of("--output", aFile.toString()), "is a file"),
                Arguments.of("output holds other data", List.of("--output", notVitex.toString()), "holds no vitex output"),
                Arguments.of("batch size 0", List.of("--batch-size", "0"), "batch_size"),
                Arguments.of("batch size not a number", List.of("--batch-size", "many"), "batch_size"),
                Arguments.of("unknown mode", List.of("--mode", "sideways"), "mode"),
                Arguments.of("unknown layout", List.of("--layout", "tall"), "layout"),
                Arguments.of("unknown granularity", List.of("--granularity", "hex"), "granularity"),
                Arguments.of("unknown inference mode", List.of("--inference-mode", "probits"), "inference_mode"),
                Arguments.of("top:K above the classes", List.of("--targets", "top:99"), "top:K"),
                Arguments.of("unknown class", List.of("--targets", "zebra"), "\"zebra\""),
                Arguments.of("unknown option", List.of("--frobnicate"), "--frobnicate"),
                Arguments.of("missing input", List.of("--input", "/nonexistent/images"), "no such file or folder"),
                Arguments.of("no input", List.of("--input", ""), "no input"),
                Arguments.of("input without images", List.of("--input", textOnly.toString()), "no image files"),
                Arguments.of("unknown metric", List.of("--metrics", "accuracy"), "accuracy"),
                Arguments.of("missing config file", List.of("--config", "/nonexistent/vitex.conf"), "no such file"),
                Arguments.of("broken config file", List.of("--config", write("broken.conf", "vitex { batch_size = ").toString()),
                        "broken.conf"),
                Arguments.of("unknown config key", List.of("--set", "batchsize=3"), "vitex.batchsize"),
                Arguments.of("bad --param form", List.of("--param", "steps=3"), "METHOD.NAME=VALUE"),
                Arguments.of("decode cap 0", List.of("--set", "decode.max_pixels=0"), "decode.max_pixels"),
                Arguments.of("unknown orientation policy", List.of("--set", "decode.orientation=sideways"), "decode.orientation"),
                Arguments.of("aspect ratio limit below 1", List.of("--set", "decode.max_aspect_ratio=0.5"), "decode.max_aspect_ratio"),
                Arguments.of("card pointing out of its folder", List.of("--model", cardWith("outside", "file",
                        "\"../meen/vit-shapes-tiny.pt\"")), "model_allow_outside_paths"),
                Arguments.of("unknown precision", List.of("--precision", "fp8"), "must be one of fp32, bf16, fp16, got \"fp8\""),
                Arguments.of("fp16 on the CPU", List.of("--precision", "fp16"), "precision fp16 needs a CUDA device; on CPU use bf16"),
                Arguments.of("bf16 with a card without a bf16 file", List.of("--model", cardWith("nobf16", "precisions", null),
                        "--precision", "bf16"), "has no bf16 variant (card field 'precisions' is absent): export one with"),
                Arguments.of("bf16 file not shipped beside the card", List.of("--model", cardWith("unshipped", "precisions",
                        "{\"bf16\": \"vit.bf16.pt\"}"), "--precision", "bf16"), "vit.bf16.pt, which does not exist"),
                Arguments.of("card with an unknown precision", List.of("--model", cardWith("fp8", "precisions",
                        "{\"fp8\": \"vit.fp8.pt\"}")), "field 'precisions' has an unknown key 'fp8'")));
        if (Methods.names().contains("lime")) {
            c.add(Arguments.of("lime per pixel without cell_size 1", List.of("--methods", "lime", "--granularity", "pixel"),
                    "cell_size"));
        }
        List<Arguments> full = new ArrayList<>();
        for (Arguments a : c) {
            Object[] v = a.get();
            @SuppressWarnings("unchecked")
            List<String> extra = (List<String>) v[1];
            List<String> args = new ArrayList<>(List.of("run", "--input", input, "--model", card, "--output", out,
                    "--methods", "saliency"));
            args.addAll(extra); // a repeated option replaces the default above
            full.add(Arguments.of(v[0], args, v[2]));
        }
        return full.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void failsBeforeSparkWithOneLine(String name, List<String> args, String mentions) {
        int sparkStarts = AttributionRun.SPARK_STARTS.get();
        JobTests.Run r = JobTests.run(args.toArray(String[]::new));
        assertEquals(AttributionJob.BAD_CONFIG, r.status(), name + ": " + r.err());
        String err = r.err().strip();
        assertFalse(err.isEmpty(), name);
        assertEquals(1, err.lines().count(), name + ": one line expected, got:\n" + err);
        assertTrue(err.startsWith("vitex: "), err);
        assertTrue(err.contains(mentions), name + ": \"" + mentions + "\" not in: " + err);
        assertFalse(err.contains("\tat "), err);
        assertEquals(sparkStarts, AttributionRun.SPARK_STARTS.get(), name + ": Spark was started");
        assertTrue(Files.exists(tmp.resolve("precious/thesis.tex")), "a folder that is not vitex output is never cleared");
    }

    /** The real command line in its own JVM: exit status 2, one line, and not a single Spark log line. */
    @Test
    void realProcessExitsWithStatus2AndOneLine() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        String surefire = System.getProperty("surefire.test.class.path");
        if (surefire != null && !surefire.isBlank()) {
            cp = surefire;
        }
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx512m"));
        cmd.addAll(Arrays.asList(System.getProperty("vitex.jvm.flags", "").trim().split("\\s+")));
        cmd.addAll(List.of("-cp", cp, AttributionJob.class.getName(), "run", "--input", images.toString(),
                "--model", tmp.resolve("nope.json").toString(), "--output", tmp.resolve("out-p").toString()));
        cmd.removeIf(String::isBlank);
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the process did not end");
        assertEquals(2, p.exitValue(), err);
        List<String> lines = err.lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList();
        assertEquals(1, lines.size(), err);
        assertTrue(lines.get(0).startsWith("vitex: --model " + tmp.resolve("nope.json")), lines.get(0));
        assertFalse(new File(tmp.resolve("out-p").toString()).exists(), "nothing written");
    }
}
