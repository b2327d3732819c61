package dev.vitex.core.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vitex.core.TestData;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.grid.PatchGrid;
import dev.vitex.core.grid.Unit;
import dev.vitex.core.method.ExplainContext;
import dev.vitex.core.method.ExplainItem;
import dev.vitex.core.method.Explainer;
import dev.vitex.core.method.Methods;
import dev.vitex.core.model.DecodedImage;
import dev.vitex.core.model.ImageDecoder;
import dev.vitex.core.model.InferenceMode;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.model.PreprocessedImage;
import dev.vitex.core.model.Preprocessor;
import dev.vitex.core.model.VitModel;
import dev.vitex.core.result.Attribution;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * The report of a real (small) run: the fixture ViT explains the bundled shape images with saliency
 * and occlusion, the way the Spark job feeds the writer from its rows. Leaves the report in
 * {@code core/target/render-model/report} (and a screenshot where chromium is installed).
 */
class ReportWithModelTest {
    private static final List<String> METHODS = List.of("saliency", "occlusion");

    @Test
    void realAttributionsMakeAWellFormedReport() throws Exception {
        ModelCard card = ModelCard.load(TestData.shapesCard());
        Preprocessor preprocessor = new Preprocessor(card);
        ImageDecoder decoder = new ImageDecoder(100_000_000L);
        Path root = TestData.samples();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no sample images under " + root);

        List<ReportImage> images = new ArrayList<>();
        try (VitModel model = VitModel.load(card)) {
            ExplainContext context = new ExplainContext(model, InferenceMode.SOFTMAX, 64, Granularity.PATCH, 7L);
            List<DecodedImage> decoded = new ArrayList<>();
            List<PreprocessedImage> inputs = new ArrayList<>();
            List<ExplainItem> items = new ArrayList<>();
            float[][] probabilities = new float[files.size()][];
            for (int i = 0; i < files.size(); i++) {
                DecodedImage image = decoder.decode(Files.readAllBytes(files.get(i)));
                PreprocessedImage input = preprocessor.preprocess(image);
                decoded.add(image);
                inputs.add(input);
                probabilities[i] = softmax(model, input);
                items.add(new ExplainItem(dev.vitex.core.Fixtures.sha256(Files.readAllBytes(files.get(i))), input.input(), new int[] {argmax(probabilities[i])}));
            }
            Map<String, List<Attribution>> byMethod = new LinkedHashMap<>();
            for (String method : METHODS) {
                Explainer explainer = Methods.create(method, Map.of(), card);
                byMethod.put(method, explainer.explain(context, items));
            }
            for (int i = 0; i < files.size(); i++) {
                PreprocessedImage input = inputs.get(i);
                int predicted = items.get(i).target(0);
                List<ReportCell> cells = new ArrayList<>();
                for (String method : METHODS) {
                    Attribution a = byMethod.get(method).get(i);
                    List<Unit> units = new PatchGrid(a.granularity(), a.cellSize(), input.height(), input.width()).units(input.geometry());
                    cells.add(new ReportCell(card.labels().get(a.target()), a, units, null, null));
                }
                String id = root.relativize(files.get(i)).toString().replace('\\', '/');
                images.add(new ReportImage(id, decoded.get(i), card.labels().get(predicted), probabilities[i][predicted], cells));
            }
        }

        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("images read", (long) files.size());
        counts.put("images explained", (long) files.size());
        counts.put("images failed", 0L);
        RunSummary summary = RunSummary.of("test-run", card.name(), METHODS, counts, files.size(), List.of());
        Path out = Path.of("target/render-model").toAbsolutePath();
        Path index = new ReportWriter().write(out.resolve("report"), summary, images);

        Document doc = ReportWriterTest.parse(index);
        for (String src : ReportWriterTest.attributes(doc, "src")) {
            assertTrue(Files.isRegularFile(out.resolve("report").resolve(src)), src);
        }
        assertEquals(files.size() * (1 + METHODS.size()), ReportWriterTest.attributes(doc, "src").size());
        if (ReportBrowserTest.chromiumPresent()) {
            ReportBrowserTest.screenshot(out.resolve("report"), out.resolve("report-screenshot.png"));
        }
    }

    private static float[] softmax(VitModel model, PreprocessedImage input) {
        try (NDManager scope = model.newScope()) {
            NDArray x = scope.create(input.input(), new Shape(1, input.channels(), input.height(), input.width()));
            return model.scores(x, InferenceMode.SOFTMAX).toFloatArray();
        }
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
