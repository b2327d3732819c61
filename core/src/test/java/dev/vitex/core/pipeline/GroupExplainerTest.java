package dev.vitex.core.pipeline;

import static dev.vitex.core.pipeline.Outcomes.explained;
import static dev.vitex.core.pipeline.Outcomes.failures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitex.core.TestData;
import dev.vitex.core.TestModels;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.image.DecodeOptions;
import dev.vitex.core.image.ImageDecoder;
import dev.vitex.core.image.PreprocessedImage;
import dev.vitex.core.image.Preprocessor;
import dev.vitex.core.method.Attribution;
import dev.vitex.core.method.ExplainContext;
import dev.vitex.core.method.ExplainItem;
import dev.vitex.core.method.Explainer;
import dev.vitex.core.method.Methods;
import dev.vitex.core.metric.MetricsEvaluator;
import dev.vitex.core.metric.QualityScores;
import dev.vitex.core.model.InferenceMode;
import dev.vitex.core.model.TargetRule;
import dev.vitex.core.model.TargetSelector;
import dev.vitex.core.model.VitModel;
import dev.vitex.core.pipeline.ImageOutcome.Explained;
import dev.vitex.core.pipeline.ImageOutcome.Failed;
import dev.vitex.core.pipeline.ImageOutcome.Finished;
import dev.vitex.core.pipeline.ImageOutcome.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pipeline on a real group (the shapes model, real PNGs, a corrupt file, an unreadable one):
 * every attribution equals what the method computes for that image alone, targets are the top-2
 * of a separate forward, metrics equal the evaluator's on the image alone, a method failing on one
 * image costs only that image, and the skip rule leaves exactly the skipped results out.
 */
class GroupExplainerTest {
    private static final List<String> METHODS = List.of("saliency", "occlusion");

    private static PipelineOptions options(List<String> metrics) {
        return new PipelineOptions(PipelineOptions.methods(METHODS, Map.of()), InferenceMode.LOGITS, 16, Granularity.PATCH,
                3L, TargetRule.top(2), metrics, DecodeOptions.defaults());
    }

    private static List<Path> images() throws IOException {
        List<Path> out = new ArrayList<>();
        for (String line : Files.readAllLines(TestData.samples().resolve("boxes.csv")).subList(1, 4)) {
            out.add(TestData.samples().resolve(line.split(",")[0]));
        }
        return out;
    }

    private static List<ImageInput> group() throws IOException {
        List<ImageInput> group = new ArrayList<>();
        for (Path p : images()) {
            group.add(ImageInput.encoded(p.getFileName().toString(), null, Files.readAllBytes(p)));
        }
        group.add(1, ImageInput.encoded("corrupt.png", null, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3}));
        group.add(ImageInput.unreadable("missing.png", null, "FileNotFoundException", "no such file"));
        return group;
    }

    private static Map<String, Status> statuses(GroupResult r) {
        Map<String, Status> m = new LinkedHashMap<>();
        r.outcomes().stream().filter(o -> o instanceof Finished)
                .forEach(o -> m.put(o.image().id(), ((Finished) o).status()));
        return m;
    }

    @Test
    void everyResultEqualsTheImageAloneAndFailuresStayWithTheirImage() throws IOException {
        VitModel model = TestModels.shapesModel();
        GroupResult r = new GroupExplainer(model, options(List.of("deletion"))).explain(group());

        assertEquals(List.of("read", "decode"), failures(r).stream().map(Failed::stage)
                .sorted(Comparator.reverseOrder()).toList());
        Map<String, Status> status = statuses(r);
        assertEquals(Status.FAILED, status.get("corrupt.png"));
        assertEquals(Status.FAILED, status.get("missing.png"));
        assertEquals(5, status.size());

        Preprocessor pre = new Preprocessor(model.card());
        TargetSelector selector = new TargetSelector(model, InferenceMode.LOGITS, 1);
        ExplainContext alone = new ExplainContext(model, InferenceMode.LOGITS, 1, Granularity.PATCH, 3L);
        Map<String, Explained> got = explained(r);
        assertEquals(3 * 2 * METHODS.size(), got.size());
        double worst = 0;
        for (Path p : images()) {
            String id = p.getFileName().toString();
            byte[] bytes = Files.readAllBytes(p);
            PreprocessedImage image = pre.preprocess(bytes);
            int[] top2 = selector.classScores(List.of(image.input())).get(0).top(2);
            ExplainItem item = new ExplainItem(ImageInput.sha256(bytes), image.input(), top2);
            assertEquals(Status.EXPLAINED, status.get(id));
            for (String method : METHODS) {
                List<Attribution> direct = Methods.create(method, Map.of(), model.card()).explain(alone, List.of(item));
                List<QualityScores> q = new MetricsEvaluator().evaluate(alone, List.of(item), direct);
                for (int t = 0; t < 2; t++) {
                    Explained e = got.get(id + "|" + method + "|" + top2[t]);
                    float[] a = e.attribution().scores();
                    float[] b = direct.get(t).scores();
                    for (int i = 0; i < a.length; i++) {
                        worst = Math.max(worst, Math.abs(a[i] - b[i]));
                    }
                    assertEquals(direct.get(t).params(), e.params());
                    assertEquals(q.get(t).deletionAuc(), e.quality().deletionAuc(), 1e-6, id + " " + method);
                    assertEquals(image.geometry(), e.image().geometry());
                    assertEquals(ImageInput.sha256(bytes), e.image().sha256());
                }
            }
        }
        assertTrue(worst <= 1e-5, "max |Δ| = " + worst);
        assertTrue(r.metricPasses() > 0 && r.metricMs().keySet().containsAll(METHODS), r.metricMs().toString());
    }

    @Test
    void aMethodFailingOnOneImageCostsOnlyThatImage() throws IOException {
        VitModel model = TestModels.shapesModel();
        List<ImageInput> group = group().stream().filter(i -> i.bytes() != null && i.bytes().length > 100).toList();
        String bad = group.get(1).contentKey();
        GroupExplainer.ExplainerFactory failing = (m, p) -> {
            Explainer real = Methods.create(m, p, model.card());
            return !m.equals("occlusion") ? real : new Explainer() {
                public String name() {
                    return real.name();
                }

                public String params(ExplainContext c) {
                    return real.params(c);
                }

                public List<Attribution> explain(ExplainContext c, List<ExplainItem> items) {
                    if (items.stream().anyMatch(i -> i.imageKey().equals(bad))) {
                        throw new IllegalStateException("this image breaks occlusion");
                    }
                    return real.explain(c, items);
                }
            };
        };
        GroupResult r = new GroupExplainer(model, options(List.of()), failing, GroupExplainer.SkipRule.NONE).explain(group);
        Map<String, Explained> reference = explained(new GroupExplainer(model, options(List.of())).explain(group));
        Map<String, Explained> got = explained(r);
        List<Failed> failures = failures(r);
        assertEquals(1, failures.size());
        assertEquals(group.get(1).id(), failures.get(0).image().id());
        assertEquals("method", failures.get(0).stage());
        assertEquals("occlusion", failures.get(0).method());
        assertEquals("this image breaks occlusion", failures.get(0).message());
        assertEquals(reference.size() - 2, got.size());
        got.forEach((k, e) -> assertTrue(Arrays.equals(reference.get(k).attribution().scores(),
                e.attribution().scores()), k));
        // saliency still explained the image, so it counts as explained
        assertEquals(Status.EXPLAINED, statuses(r).get(group.get(1).id()));
        assertTrue(got.keySet().stream().noneMatch(k -> k.startsWith(group.get(1).id() + "|occlusion|")));
    }

    @Test
    void skippedTargetsAreLeftOutAndDecodedInputEqualsBytes() throws IOException {
        VitModel model = TestModels.shapesModel();
        Path p = images().get(0);
        byte[] bytes = Files.readAllBytes(p);
        String key = ImageInput.sha256(bytes);
        ImageInput encoded = ImageInput.encoded("a", null, bytes);
        ImageInput decoded = ImageInput.decoded("b", null, new ImageDecoder(DecodeOptions.DEFAULT_MAX_PIXELS).decode(bytes), key);
        Map<String, Explained> all = explained(new GroupExplainer(model, options(List.of())).explain(List.of(encoded, decoded)));
        assertEquals(2 * 2 * METHODS.size(), all.size());
        all.forEach((k, e) -> {
            if (k.startsWith("a|")) {
                assertTrue(Arrays.equals(e.attribution().scores(), all.get("b" + k.substring(1)).attribution().scores()), k);
            }
        });

        GroupExplainer.SkipRule doneA = (id, method, target) -> id.equals("a");
        GroupExplainer.SkipRule oneSaliency = (id, method, target) -> id.equals("b") && method.equals("saliency");
        GroupResult r = new GroupExplainer(model, options(List.of()), (m, q) -> Methods.create(m, q, model.card()),
                (id, method, target) -> doneA.done(id, method, target) || oneSaliency.done(id, method, target))
                .explain(List.of(encoded, decoded));
        Map<String, Explained> got = explained(r);
        assertEquals(2, got.size());
        assertTrue(got.keySet().stream().allMatch(k -> k.startsWith("b|occlusion|")), got.keySet().toString());
        assertEquals(Map.of("a", Status.DONE, "b", Status.EXPLAINED), statuses(r));
    }
}
