package dev.vitex.core.pipeline;

import static dev.vitex.core.pipeline.Outcomes.explained;
import static dev.vitex.core.pipeline.Outcomes.failures;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitex.core.TestData;
import dev.vitex.core.TestModels;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.image.DecodeOptions;
import dev.vitex.core.image.PreprocessedImage;
import dev.vitex.core.image.Preprocessor;
import dev.vitex.core.method.Attribution;
import dev.vitex.core.method.ChoosesTargets;
import dev.vitex.core.method.ExplainContext;
import dev.vitex.core.method.ExplainItem;
import dev.vitex.core.method.Methods;
import dev.vitex.core.model.InferenceMode;
import dev.vitex.core.model.TargetRule;
import dev.vitex.core.model.TargetSelector;
import dev.vitex.core.model.TargetSelector.ClassScores;
import dev.vitex.core.model.VitModel;
import dev.vitex.core.pipeline.ImageOutcome.Explained;
import dev.vitex.core.pipeline.ImageOutcome.Failed;
import dev.vitex.core.pipeline.ImageOutcome.Finished;
import dev.vitex.core.pipeline.ImageOutcome.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * methods.md § Targets: with one target per image and saliency, attention_rollout or attention_gradient
 * configured, the group's targets come from that method's own pass on x instead of a separate
 * no-grad forward. Every run here is compared with the separate path computed independently: {@link
 * TargetSelector} on the group's inputs at the same batch size, {@link TargetRule#targets}, then each
 * method's plain {@code explain} on those targets. Targets must be equal, the class scores within
 * {@link #SCORES} and the attributions within {@link #ATTRIBUTIONS} (measured: 0 for every case here,
 * bit-identical: the chooser's forward runs the same batches as the separate one, grad mode on or off,
 * and the attention methods' forward_attention with all-ones gates computes the same logits as forward).
 */
class TargetsFromMethodPassTest {
    private static final double SCORES = 1e-6;
    private static final double ATTRIBUTIONS = 1e-6;
    private static final int BATCH = 3; // 8 images: batches of 3, 3, 2 — choices in every batch

    private static PipelineOptions options(List<String> methods, InferenceMode mode, Granularity granularity,
                                           TargetRule rule) {
        return new PipelineOptions(PipelineOptions.methods(methods, Map.of("occlusion", Map.of())), mode, BATCH,
                granularity, 7L, rule, List.of(), DecodeOptions.defaults());
    }

    /** Two images per class, labelled with their own class, or with the next class when {@code shiftLabels}. */
    private static List<ImageInput> group(boolean shiftLabels) throws IOException {
        List<String> classes = TestModels.shapesModel().card().labels();
        List<ImageInput> group = new ArrayList<>();
        for (String line : Files.readAllLines(TestData.samples().resolve("boxes.csv")).subList(1, 25)) {
            String[] f = line.split(",");
            if (f[0].endsWith("_00.png") || f[0].endsWith("_03.png")) {
                String label = shiftLabels ? classes.get((classes.indexOf(f[1]) + 1) % classes.size()) : f[1];
                group.add(ImageInput.encoded(f[0], label, Files.readAllBytes(TestData.samples().resolve(f[0]))));
            }
        }
        return group;
    }

    /** The separate path, independently: scores by TargetSelector, targets by the rule, then each method alone. */
    private record Reference(Map<String, ClassScores> scores, Map<String, int[]> targets, Map<String, Attribution> rows) {}

    private static Reference reference(VitModel model, PipelineOptions o, List<ImageInput> group) {
        Preprocessor pre = new Preprocessor(model.card());
        List<ImageInput> readable = new ArrayList<>();
        List<PreprocessedImage> inputs = new ArrayList<>();
        for (ImageInput in : group) {
            try {
                inputs.add(pre.preprocess(in.bytes()));
                readable.add(in);
            } catch (RuntimeException e) {
                // left out, as the pipeline leaves it out (its failure is checked by the caller)
            }
        }
        List<ClassScores> scores = new TargetSelector(model, o.inferenceMode(), o.batchSize())
                .classScores(inputs.stream().map(PreprocessedImage::input).toList());
        Reference ref = new Reference(new HashMap<>(), new HashMap<>(), new LinkedHashMap<>());
        List<ExplainItem> items = new ArrayList<>();
        for (int i = 0; i < readable.size(); i++) {
            ImageInput in = readable.get(i);
            int label = o.targets().needsLabel() ? TargetRule.classIndex(in.label(), model.card().labels()) : -1;
            int[] targets = o.targets().targets(scores.get(i), label);
            ref.scores().put(in.id(), scores.get(i));
            ref.targets().put(in.id(), targets);
            items.add(new ExplainItem(in.contentKey(), inputs.get(i).input(), targets));
        }
        ExplainContext context = new ExplainContext(model, o.inferenceMode(), o.batchSize(), o.granularity(), o.seed());
        for (String method : o.methods().keySet()) {
            List<Attribution> out = Methods.create(method, o.methods().get(method), model.card()).explain(context, items);
            int k = 0;
            for (int i = 0; i < items.size(); i++) {
                for (int t : items.get(i).targets()) {
                    ref.rows().put(readable.get(i).id() + "|" + method + "|" + t, out.get(k++));
                }
            }
        }
        return ref;
    }

    /** Runs the pipeline and checks it against the separate path; returns the max |Δ| of the class scores. */
    private static double assertSameAsSeparateSelection(PipelineOptions o, List<ImageInput> group, String chosenBy)
            throws IOException {
        VitModel model = TestModels.shapesModel();
        GroupExplainer explainer = new GroupExplainer(model, o);
        assertEquals(Optional.ofNullable(chosenBy), explainer.targetsChosenBy(), o.methods().keySet() + " " + o.targets());
        GroupResult r = explainer.explain(group);
        Reference ref = reference(model, o, group);
        Map<String, Explained> got = explained(r);
        assertEquals(ref.rows().keySet(), got.keySet()); // the same (image, method, target) rows: the same targets
        double scoresDiff = 0;
        double attributionDiff = 0;
        for (Map.Entry<String, Explained> e : got.entrySet()) {
            Explained row = e.getValue();
            Attribution want = ref.rows().get(e.getKey());
            ClassScores wantScores = ref.scores().get(row.image().id());
            assertEquals(wantScores.predicted(), row.image().scores().predicted(), e.getKey());
            scoresDiff = Math.max(scoresDiff, TestData.maxAbsDiff(wantScores.scores(), row.image().scores().scores()));
            attributionDiff = Math.max(attributionDiff, TestData.maxAbsDiff(want.scores(), row.attribution().scores()));
            assertEquals(want.targetScore(), row.attribution().targetScore(), SCORES, e.getKey());
            assertEquals(want.modelPasses(), row.attribution().modelPasses(), e.getKey());
            assertEquals(want.params(), row.params(), e.getKey());
        }
        System.out.printf("targets from %s (%s, %s, %s): class scores max |Δ| %.3g, attributions max |Δ| %.3g%n",
                chosenBy, o.methods().keySet(), o.inferenceMode().cliName(), o.targets().text(), scoresDiff, attributionDiff);
        assertTrue(scoresDiff <= SCORES, "class scores max |Δ| = " + scoresDiff);
        assertTrue(attributionDiff <= ATTRIBUTIONS, "attributions max |Δ| = " + attributionDiff);
        return scoresDiff;
    }

    @Test
    void eachChoosingMethodAloneGivesTheSeparateSelectionsTargetsScoresAndAttributions() throws IOException {
        assertSameAsSeparateSelection(options(List.of("saliency"), InferenceMode.LOGITS, Granularity.PATCH,
                TargetRule.predicted()), group(false), "saliency");
        assertSameAsSeparateSelection(options(List.of("attention_rollout"), InferenceMode.SOFTMAX, Granularity.PIXEL,
                TargetRule.predicted()), group(false), "attention_rollout");
        assertSameAsSeparateSelection(options(List.of("attention_gradient"), InferenceMode.LOG_SOFTMAX, Granularity.PATCH,
                TargetRule.predicted()), group(false), "attention_gradient");
    }

    @Test
    void mixedWithANonChoosingMethodTheChooserRunsFirstAndTheOthersGetItsTargets() throws IOException {
        assertSameAsSeparateSelection(options(List.of("occlusion", "saliency"), InferenceMode.SOFTMAX, Granularity.PATCH,
                TargetRule.predicted()), group(false), "saliency");
        assertSameAsSeparateSelection(options(List.of("occlusion", "attention_gradient", "saliency"), InferenceMode.LOGITS,
                Granularity.PATCH, TargetRule.fixed(2, "cross")), group(false), "attention_gradient");
        assertSameAsSeparateSelection(options(List.of("attention_rollout", "occlusion"), InferenceMode.LOG_SOFTMAX,
                Granularity.PATCH, TargetRule.predicted()), group(false), "attention_rollout");
    }

    @Test
    void labelTargetsAreTheLabelsEvenWhereTheModelPredictsAnotherClass() throws IOException {
        List<ImageInput> group = group(true); // every label is the next class: never the prediction of this model
        assertSameAsSeparateSelection(options(List.of("saliency", "occlusion"), InferenceMode.LOGITS, Granularity.PATCH,
                TargetRule.label()), group, "saliency");
        Map<String, Explained> rows = explained(new GroupExplainer(TestModels.shapesModel(), options(List.of("saliency"),
                InferenceMode.LOGITS, Granularity.PATCH, TargetRule.label())).explain(group));
        List<String> classes = TestModels.shapesModel().card().labels();
        for (ImageInput in : group) {
            Explained e = rows.get(in.id() + "|saliency|" + classes.indexOf(in.label()));
            assertNotNull(e, in.id() + " explained for its label " + in.label());
            assertTrue(e.image().scores().predicted() != e.attribution().target(), in.id());
        }
    }

    @Test
    void topTwoStillSelectsWithTheSeparateForward() throws IOException {
        assertSameAsSeparateSelection(options(List.of("saliency", "attention_gradient"), InferenceMode.LOGITS,
                Granularity.PATCH, TargetRule.top(2)), group(false), null);
        assertSameAsSeparateSelection(options(List.of("occlusion"), InferenceMode.LOGITS, Granularity.PATCH,
                TargetRule.predicted()), group(false), null);
    }

    @Test
    void resumeDropsTheRowsAlreadyDoneAfterThePass() throws IOException {
        PipelineOptions o = options(List.of("saliency", "occlusion"), InferenceMode.LOGITS, Granularity.PATCH,
                TargetRule.predicted());
        List<ImageInput> group = group(false);
        Reference ref = reference(TestModels.shapesModel(), o, group);
        String a = group.get(0).id();
        String b = group.get(1).id();
        String c = group.get(2).id();
        GroupExplainer.SkipRule done = (id, method, target) -> target == ref.targets().get(id)[0]
                && (id.equals(a) && method.equals("saliency") || id.equals(b) && method.equals("occlusion") || id.equals(c));
        GroupResult r = new GroupExplainer(TestModels.shapesModel(), o, (m, p) -> Methods.create(m, p,
                TestModels.shapesModel().card()), done).explain(group);
        Map<String, Explained> got = explained(r);
        List<String> want = new ArrayList<>(ref.rows().keySet());
        want.removeIf(k -> k.startsWith(a + "|saliency|") || k.startsWith(b + "|occlusion|") || k.startsWith(c + "|"));
        assertEquals(want.stream().sorted().toList(), got.keySet().stream().sorted().toList());
        // fewer items in occlusion's call than in the reference's: other batches, so float rounding differs
        got.forEach((k, e) -> assertTrue(TestData.maxAbsDiff(ref.rows().get(k).scores(), e.attribution().scores()) <= 1e-5, k));
        assertEquals(ref.scores().get(a).predicted(), got.get(a + "|occlusion|" + ref.targets().get(a)[0]).image()
                .scores().predicted(), "the dropped saliency row's pass still gave the image its scores");
        Map<String, Status> status = statuses(r);
        assertEquals(Status.DONE, status.get(c));
        assertEquals(Status.EXPLAINED, status.get(a));
        assertEquals(Status.EXPLAINED, status.get(b));
        assertEquals(List.of(), failures(r));
    }

    @Test
    void unreadableImagesAndAChooserFailingOnOneImageCostOnlyThoseImages() throws IOException {
        VitModel model = TestModels.shapesModel();
        PipelineOptions o = options(List.of("saliency", "occlusion"), InferenceMode.LOGITS, Granularity.PATCH,
                TargetRule.predicted());
        List<ImageInput> group = new ArrayList<>(group(false));
        group.add(2, ImageInput.unreadable("missing.png", null, "FileNotFoundException", "no such file"));
        group.add(5, ImageInput.encoded("corrupt.png", null, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3}));
        String bad = group.get(3).contentKey();
        int[] calls = new int[2];
        GroupExplainer explainer = new GroupExplainer(model, o, (m, p) -> m.equals("saliency")
                ? failingOn(bad, (ChoosesTargets) Methods.create(m, p, model.card()), calls)
                : Methods.create(m, p, model.card()), GroupExplainer.SkipRule.NONE);
        assertEquals(Optional.of("saliency"), explainer.targetsChosenBy());
        GroupResult r = explainer.explain(group);
        Reference ref = reference(model, o, group);
        // the 8 readable images together (fails), then each alone (the bad one fails), then the bad one's
        // separate forward and plain saliency call (fails: an error of stage method, as without fusing)
        assertArrayEquals(new int[] {1 + 8, 1}, calls);

        List<Failed> f = failures(r);
        assertEquals(List.of("missing.png|read|null", "corrupt.png|decode|null", group.get(3).id() + "|method|saliency"),
                f.stream().map(x -> x.image().id() + "|" + x.stage() + "|" + x.method()).toList());
        assertEquals("this image breaks saliency", f.get(2).message());
        assertNotNull(f.get(2).image().scores(), "its scores came from the separate forward it fell back to");
        Map<String, Explained> got = explained(r);
        List<String> want = new ArrayList<>(ref.rows().keySet());
        want.removeIf(k -> k.startsWith(group.get(3).id() + "|saliency|"));
        assertEquals(want.stream().sorted().toList(), got.keySet().stream().sorted().toList());
        got.forEach((k, e) -> assertArrayEquals(ref.rows().get(k).scores(), e.attribution().scores(), k));
        Map<String, Status> status = statuses(r);
        assertEquals(Status.FAILED, status.get("missing.png"));
        assertEquals(Status.FAILED, status.get("corrupt.png"));
        assertEquals(Status.EXPLAINED, status.get(group.get(3).id()), "occlusion still explained it");
        assertEquals(group.size(), status.size());
    }

    @Test
    void anOutOfMemoryInTheChoosingPassHalvesTheBatchAndGivesEveryRow() throws IOException {
        PipelineOptions at64 = new PipelineOptions(PipelineOptions.methods(List.of("saliency", "occlusion"), Map.of()),
                InferenceMode.LOGITS, 64, Granularity.PATCH, 7L, TargetRule.predicted(), List.of(), DecodeOptions.defaults());
        GroupExplainer backedOff = new GroupExplainer(TestModels.testModel("oom-above-8"), at64);
        List<ImageInput> group = group(false);
        GroupResult r = backedOff.explain(group);
        assertEquals(List.of(), failures(r));
        // 64 → 32 → 16 → 8: three halvings in saliency's choosing pass (8 images), then 8 fits
        assertEquals(new BatchBudget.Usage(64, 8, 3), backedOff.batchUsage());
        PipelineOptions at8 = new PipelineOptions(at64.methods(), InferenceMode.LOGITS, 8, Granularity.PATCH, 7L,
                TargetRule.predicted(), List.of(), DecodeOptions.defaults());
        Reference ref = reference(TestModels.shapesModel(), at8, group);
        Map<String, Explained> got = explained(r);
        assertEquals(ref.rows().keySet(), got.keySet());
        got.forEach((k, e) -> assertTrue(TestData.maxAbsDiff(ref.rows().get(k).scores(), e.attribution().scores()) <= 1e-5, k));
    }

    /**
     * The real chooser, except that any call including the image {@code bad} throws; {@code calls}
     * counts [choosing calls, plain explain calls].
     */
    private static ChoosesTargets failingOn(String bad, ChoosesTargets real, int[] calls) {
        return new ChoosesTargets() {
            public String name() {
                return real.name();
            }

            public String params(ExplainContext c) {
                return real.params(c);
            }

            public boolean choosesTargets() {
                return real.choosesTargets();
            }

            public List<Attribution> explain(ExplainContext c, List<ExplainItem> items) {
                calls[1]++;
                if (items.stream().anyMatch(i -> i.imageKey().equals(bad))) {
                    throw new IllegalStateException("this image breaks saliency");
                }
                return real.explain(c, items);
            }

            public Chosen explainChoosingTargets(ExplainContext c, List<Image> images, TargetChoice choice) {
                calls[0]++;
                if (images.stream().anyMatch(i -> i.imageKey().equals(bad))) {
                    throw new IllegalStateException("this image breaks saliency");
                }
                return real.explainChoosingTargets(c, images, choice);
            }
        };
    }

    private static Map<String, Status> statuses(GroupResult r) {
        Map<String, Status> m = new LinkedHashMap<>();
        r.outcomes().stream().filter(o -> o instanceof Finished).forEach(o -> m.put(o.image().id(), ((Finished) o).status()));
        return m;
    }
}
