package dev.vitex.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vitex.core.Fixtures;
import dev.vitex.core.TestData;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.grid.Unit;
import dev.vitex.core.grid.UnitGrid;
import dev.vitex.core.image.DecodedImage;
import dev.vitex.core.image.ImageDecoder;
import dev.vitex.core.image.PreprocessedImage;
import dev.vitex.core.image.Preprocessor;
import dev.vitex.core.method.Attribution;
import dev.vitex.core.method.ExplainContext;
import dev.vitex.core.method.ExplainItem;
import dev.vitex.core.method.Explainer;
import dev.vitex.core.method.Methods;
import dev.vitex.core.model.InferenceMode;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.model.VitModel;
import dev.vitex.core.render.RenderFixtures;
import dev.vitex.core.render.ScoreGrid;
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
 * Reports of real runs: real models explain images with saliency and occlusion through the real
 * Preprocessor, and the cells are built the way the Spark job builds them from its rows (units
 * with original-image boxes). Reports stay in {@code core/target/render-model*} to be looked at,
 * with a screenshot where chromium is installed.
 */
class ReportWithModelTest {
    private static final List<String> METHODS = List.of("saliency", "occlusion");

    /** One image to explain: its id and decoded original. */
    private record Input(String id, DecodedImage image) {}

    /**
     * An exported Hugging Face ViT (32×32 input) on non-square originals, resized (crop none) and
     * centre-cropped: the grid lands on the right part of each original.
     */
    @Test
    void exportedVitOnNonSquareImagesWithResizeAndCentreCrop() throws Exception {
        ModelCard card = ModelCard.load(TestData.resource("hf-exported/vit-tiny-32px/vit-tiny-32px.json"));
        List<Input> inputs = List.of(
                new Input("wide/disk_80x48.png", RenderFixtures.disk(80, 48, 24, 20, 12)),
                new Input("tall/disk_40x72.png", RenderFixtures.disk(40, 72, 50, 20, 11)),
                new Input("square/disk_64x64.png", RenderFixtures.disk(64, 64, 30, 40, 14)));
        for (String crop : List.of("none", "center")) {
            ModelCard variant = new ModelCard(card.cardPath(), card.name() + "-crop-" + crop, card.format(), card.modelFile(),
                    card.inputHeight(), card.inputWidth(), card.patchSize(), card.channels(), card.rescale(), card.mean(),
                    card.std(), card.resize(), crop, card.output(), card.labels());
            Path out = Path.of("target/render-model-hf-" + crop).toAbsolutePath();
            List<ReportImage> images = explain(variant, inputs);
            for (ReportImage image : images) {
                ScoreGrid grid = image.cells().get(0).grid();
                DecodedImage original = image.image();
                if (crop.equals("none")) {
                    assertEquals(0.0, grid.left(), 1e-4);
                    assertEquals(original.width(), grid.right(), 1e-3);
                    assertEquals(original.height(), grid.bottom(), 1e-3);
                } else {
                    // The centred square of side min(w, h).
                    double side = Math.min(original.width(), original.height());
                    assertEquals(side, grid.right() - grid.left(), 0.05 * side);
                    assertEquals(side, grid.bottom() - grid.top(), 0.05 * side);
                    assertEquals(original.width() / 2.0, (grid.left() + grid.right()) / 2, 1.5);
                    assertEquals(original.height() / 2.0, (grid.top() + grid.bottom()) / 2, 1.5);
                }
            }
            checkReport(write(variant, images, out), images.size());
        }
    }

    /** The bundled shapes ViT on the bundled sample images (the demo's inputs). */
    @Test
    void shapesFixtureReport() throws Exception {
        assumeTrue(Files.exists(TestData.shapesCard()) && Files.isDirectory(TestData.samples()),
                "the shapes fixture (models/vit-shapes-tiny, samples/shapes) is not in this checkout");
        ModelCard card = ModelCard.load(TestData.shapesCard());
        Path root = TestData.samples();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no sample images under " + root);
        ImageDecoder decoder = new ImageDecoder(100_000_000L);
        List<Input> inputs = new ArrayList<>();
        for (Path f : files) {
            inputs.add(new Input(root.relativize(f).toString().replace('\\', '/'), decoder.decode(Files.readAllBytes(f))));
        }
        List<ReportImage> images = explain(card, inputs);
        checkReport(write(card, images, Path.of("target/render-model").toAbsolutePath()), images.size());
    }

    /** Predicted class per image, then every method for it; cells as the job builds them from rows. */
    private static List<ReportImage> explain(ModelCard card, List<Input> inputs) {
        Preprocessor preprocessor = new Preprocessor(card);
        List<ReportImage> images = new ArrayList<>();
        try (VitModel model = VitModel.load(card)) {
            ExplainContext context = new ExplainContext(model, InferenceMode.SOFTMAX, 64, Granularity.PATCH, 7L);
            List<PreprocessedImage> pre = new ArrayList<>();
            List<ExplainItem> items = new ArrayList<>();
            List<float[]> probabilities = new ArrayList<>();
            for (Input in : inputs) {
                PreprocessedImage p = preprocessor.preprocess(in.image());
                float[] prob = softmax(model, p);
                pre.add(p);
                probabilities.add(prob);
                items.add(new ExplainItem(Fixtures.sha256(in.id().getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                        p.input(), new int[] {argmax(prob)}));
            }
            Map<String, List<Attribution>> byMethod = new LinkedHashMap<>();
            for (String method : METHODS) {
                Explainer explainer = Methods.create(method, Map.of(), card);
                byMethod.put(method, explainer.explain(context, items));
            }
            for (int i = 0; i < inputs.size(); i++) {
                PreprocessedImage p = pre.get(i);
                int predicted = items.get(i).target(0);
                List<ReportCell> cells = new ArrayList<>();
                for (String method : METHODS) {
                    Attribution a = byMethod.get(method).get(i);
                    List<Unit> units = new UnitGrid(a.granularity(), a.cellSize(), p.height(), p.width()).units(p.geometry());
                    cells.add(new ReportCell(card.labels().get(a.target()), a, units, null, null));
                }
                images.add(new ReportImage(inputs.get(i).id(), inputs.get(i).image(), card.labels().get(predicted),
                        probabilities.get(i)[predicted], cells));
            }
        }
        return images;
    }

    private static Path write(ModelCard card, List<ReportImage> images, Path out) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("images read", (long) images.size());
        counts.put("images explained", (long) images.size());
        counts.put("images failed", 0L);
        RunSummary summary = RunSummary.of("test-run", card.name(), METHODS, counts, images.size(), List.of());
        return new ReportWriter().write(out.resolve("report"), summary, images);
    }

    private static void checkReport(Path index, int imageCount) throws Exception {
        Document doc = ReportWriterTest.parse(index);
        List<String> srcs = ReportWriterTest.attributes(doc, "src");
        for (String src : srcs) {
            assertTrue(Files.isRegularFile(index.getParent().resolve(src)), src);
        }
        assertEquals(imageCount * (1 + METHODS.size()), srcs.size());
        if (ReportBrowserTest.chromiumPresent()) {
            Path dir = index.getParent();
            ReportBrowserTest.screenshot(dir, dir.resolveSibling("report-screenshot.png"));
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
