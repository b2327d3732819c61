package dev.vitex.core.pipeline;

import static dev.vitex.core.pipeline.Outcomes.explained;
import static dev.vitex.core.pipeline.Outcomes.failures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.EngineException;
import dev.vitex.core.TestData;
import dev.vitex.core.TestModels;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.image.DecodeOptions;
import dev.vitex.core.method.Attribution;
import dev.vitex.core.method.ExplainContext;
import dev.vitex.core.method.ExplainItem;
import dev.vitex.core.method.Explainer;
import dev.vitex.core.method.Methods;
import dev.vitex.core.model.InferenceMode;
import dev.vitex.core.model.TargetRule;
import dev.vitex.core.model.VitModel;
import dev.vitex.core.pipeline.ImageOutcome.Explained;
import dev.vitex.core.pipeline.ImageOutcome.Failed;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The out-of-memory back-off on a real TorchScript model that fails like libtorch's CPU allocator
 * above a batch of 8 ({@code models/test/oom-above-8}, made by scripts/make_oom_model.py from the tiny
 * ViT): asked for batch 64, every row comes out and equals the plain tiny model's at batch 8; the
 * budget reports 8. Other failures still narrow to the one image, and a broken device is thrown.
 */
class OutOfMemoryBackoffTest {
    private static final List<String> METHODS = List.of("saliency", "integrated_gradients", "occlusion");

    private static PipelineOptions options(int batchSize, List<String> metrics) {
        return new PipelineOptions(PipelineOptions.methods(METHODS, Map.of("integrated_gradients", Map.of("steps", "4"))),
                InferenceMode.LOGITS, batchSize, Granularity.PATCH, 5L, TargetRule.top(2), metrics, DecodeOptions.defaults());
    }

    private static List<ImageInput> group(int n) throws IOException {
        List<ImageInput> group = new ArrayList<>();
        for (String line : Files.readAllLines(TestData.samples().resolve("boxes.csv")).subList(1, 1 + n)) {
            String relative = line.split(",")[0]; // class/img_NN.png: file names repeat across classes
            group.add(ImageInput.encoded(relative, null, Files.readAllBytes(TestData.samples().resolve(relative))));
        }
        return group;
    }

    /** Real methods, but the one named {@code method} throws {@code error} on images matching {@code bad}. */
    private static GroupExplainer.ExplainerFactory failing(VitModel model, String method, Predicate<ExplainItem> bad,
                                                           RuntimeException error) {
        return (m, p) -> {
            Explainer real = Methods.create(m, p, model.card());
            return !m.equals(method) ? real : new Explainer() {
                public String name() {
                    return real.name();
                }

                public String params(ExplainContext c) {
                    return real.params(c);
                }

                public List<Attribution> explain(ExplainContext c, List<ExplainItem> items) {
                    if (items.stream().anyMatch(bad)) {
                        throw error;
                    }
                    return real.explain(c, items);
                }
            };
        };
    }

    @Test
    void batch64OnAModelThatFailsAbove8ProducesEveryRowAsBatch8Would() throws IOException {
        VitModel oom = TestModels.testModel("oom-above-8");
        List<ImageInput> group = group(6);
        GroupExplainer backedOff = new GroupExplainer(oom, options(64, List.of("deletion")));
        GroupResult r = backedOff.explain(group);
        GroupResult reference = new GroupExplainer(TestModels.shapesModel(), options(8, List.of("deletion"))).explain(group);

        assertEquals(List.of(), failures(r));
        Map<String, Explained> got = explained(r);
        Map<String, Explained> want = explained(reference);
        assertEquals(6 * 2 * METHODS.size(), want.size());
        assertEquals(want.keySet(), got.keySet());
        double worst = 0;
        for (Map.Entry<String, Explained> e : want.entrySet()) {
            float[] a = got.get(e.getKey()).attribution().scores();
            float[] b = e.getValue().attribution().scores();
            assertEquals(b.length, a.length);
            for (int i = 0; i < a.length; i++) {
                worst = Math.max(worst, Math.abs(a[i] - b[i]));
            }
            assertNotNull(got.get(e.getKey()).quality(), e.getKey());
            assertEquals(e.getValue().quality().deletionAuc(), got.get(e.getKey()).quality().deletionAuc(), 1e-5);
        }
        assertTrue(worst <= 1e-5, "max |Δ| = " + worst);
        // 64 → 32 → 16 → 8: three halvings in saliency's first batch (12 inputs; target selection's 6 fit); then 8 fits
        assertEquals(new BatchBudget.Usage(64, 8, 3), backedOff.batchUsage());
        assertEquals(8, backedOff.context().batchSize());
        // remembered: the next group starts at 8 and needs no retry
        backedOff.explain(group(3));
        assertEquals(new BatchBudget.Usage(64, 8, 3), backedOff.batchUsage());
    }

    @Test
    void aNonMemoryErrorStillNarrowsToTheOneImage() throws IOException {
        VitModel oom = TestModels.testModel("oom-above-8");
        List<ImageInput> group = group(6);
        String bad = group.get(2).contentKey();
        GroupExplainer explainer = new GroupExplainer(oom, options(64, List.of()),
                failing(oom, "occlusion", i -> i.imageKey().equals(bad), new IllegalStateException("this image breaks occlusion")),
                GroupExplainer.SkipRule.NONE);
        GroupResult r = explainer.explain(group);
        List<Failed> f = failures(r);
        assertEquals(1, f.size());
        assertEquals(group.get(2).id(), f.get(0).image().id());
        assertEquals("occlusion", f.get(0).method());
        assertEquals("this image breaks occlusion", f.get(0).message());
        assertEquals(6 * 2 * METHODS.size() - 2, explained(r).size());
        assertEquals(new BatchBudget.Usage(64, 8, 3), explainer.batchUsage(), "a non-memory error does not shrink the batch");
    }

    @Test
    void anOutOfMemoryThatPersistsAtBatch1FailsOnlyItsImage() throws IOException {
        VitModel model = TestModels.shapesModel();
        List<ImageInput> group = group(4);
        String bad = group.get(1).contentKey();
        GroupExplainer explainer = new GroupExplainer(model, options(4, List.of()),
                failing(model, "saliency", i -> i.imageKey().equals(bad),
                        new EngineException("CUDA out of memory. Tried to allocate 2.00 GiB")), GroupExplainer.SkipRule.NONE);
        GroupResult r = explainer.explain(group);
        List<Failed> f = failures(r);
        assertEquals(1, f.size());
        assertEquals(group.get(1).id(), f.get(0).image().id());
        assertEquals("saliency", f.get(0).method());
        assertTrue(f.get(0).message().contains("CUDA out of memory"), f.get(0).message());
        assertEquals(4 * 2 * METHODS.size() - 2, explained(r).size());
        assertEquals(new BatchBudget.Usage(4, 1, 2), explainer.batchUsage());
    }

    @Test
    void aBrokenDeviceIsThrownNotTurnedIntoErrorRows() throws IOException {
        VitModel model = TestModels.shapesModel();
        GroupExplainer explainer = new GroupExplainer(model, options(8, List.of()),
                failing(model, "saliency", i -> true, new EngineException("CUDA error: an illegal memory access was encountered")),
                GroupExplainer.SkipRule.NONE);
        DeviceFaultException e = assertThrows(DeviceFaultException.class, () -> explainer.explain(group(2)));
        assertTrue(e.getMessage().startsWith("saliency: the device failed (CUDA error: an illegal memory access"), e.getMessage());
        assertEquals(0, explainer.batchUsage().oomRetries());
    }

    @Test
    void faultsAreReadFromTheCauseChain() {
        assertTrue(EngineFaults.isOutOfMemory(new EngineException("forward failed",
                new RuntimeException("DefaultCPUAllocator: can't allocate memory: you tried to allocate 9 GB"))));
        assertTrue(EngineFaults.isOutOfMemory(new RuntimeException("[enforce fail at alloc_cpu.cpp:117] not enough memory")));
        assertTrue(EngineFaults.isOutOfMemory(new EngineException("CUDA out of memory. Tried to allocate 20 MiB")));
        assertFalse(EngineFaults.isDeviceFault(new EngineException("CUDA out of memory. Tried to allocate 20 MiB")));
        assertTrue(EngineFaults.isDeviceFault(new EngineException("x", new RuntimeException("CUDA driver version is insufficient"))));
        assertTrue(EngineFaults.isDeviceFault(new EngineException("device-side assert triggered")));
        assertFalse(EngineFaults.isDeviceFault(new EngineException("shape mismatch: [1, 3, 64, 64] vs [3, 64, 64]")));
        assertFalse(EngineFaults.isOutOfMemory(new IllegalStateException("index out of range")));
    }
}
