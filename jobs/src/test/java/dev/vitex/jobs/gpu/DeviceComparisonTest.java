package dev.vitex.jobs.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.method.Attribution;
import dev.vitex.core.method.ExplainContext;
import dev.vitex.core.method.ExplainItem;
import dev.vitex.core.method.Methods;
import dev.vitex.core.model.BatchGate;
import dev.vitex.core.model.InferenceMode;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.model.Precision;
import dev.vitex.core.model.VitModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** gpu-check's comparison logic with the CPU on both sides (CI has no GPU), and a planted mismatch it must report. */
class DeviceComparisonTest {
    private static final Path CARD = Path.of(System.getProperty("user.dir")).getParent()
            .resolve("models/vit-shapes-tiny/vit-shapes-tiny.json");

    @Test
    void everyMethodMatchesOnCpuVersusCpu() {
        ModelCard card = ModelCard.load(CARD);
        List<DeviceComparison.MethodResult> results = new DeviceComparison(card, DeviceComparison.Tolerance.FP32, 16)
                .compare(Device.cpu(), Device.cpu(), DeviceComparison.syntheticItems(card, 2));
        assertEquals(Methods.names(), results.stream().map(DeviceComparison.MethodResult::method).toList());
        for (DeviceComparison.MethodResult r : results) {
            assertTrue(r.ok(), r.line());
            assertTrue(r.scoreDifference() < 1e-6 && r.mapDifference() < 1e-5, r.line());
        }
    }

    /**
     * gpu-check's bf16 comparison, with the CPU on both sides, and the ground of its tolerance: the
     * CPU's bf16 file against its fp32 file is within {@link DeviceComparison.Tolerance#BF16} on every
     * method (a GPU's bf16 should be no further from the CPU's bf16 than that), and beyond the fp32
     * tolerance (else bf16 would not be running). One synthetic image keeps it quick.
     */
    @Test
    void bf16ToleranceCoversBf16VersusFp32OnTheCpu() {
        ModelCard card = ModelCard.load(CARD);
        List<ExplainItem> items = DeviceComparison.syntheticItems(card, 1);
        DeviceComparison bf16 = new DeviceComparison(card, DeviceComparison.Tolerance.of(Precision.BF16), 16);
        double worstScore = 0;
        double worstMap = 0;
        try (VitModel fp32 = VitModel.load(card); VitModel low = VitModel.load(card, Device.cpu(), BatchGate.UNLIMITED, Precision.BF16)) {
            for (DeviceComparison.MethodResult r : bf16.compare(fp32, low, items)) {
                System.out.println("bf16 vs fp32 on the cpu: " + r.line());
                assertTrue(r.ok(), r.line());
                worstScore = Math.max(worstScore, r.scoreDifference());
                worstMap = Math.max(worstMap, r.mapDifference());
            }
        }
        assertTrue(worstScore > DeviceComparison.Tolerance.FP32.score() || worstMap > DeviceComparison.Tolerance.FP32.map(),
                "bf16 is as close to fp32 as fp32 to itself: the bf16 file is not bf16");
    }

    /** One attribution value moved by 2 % of the map's largest |value|: reported, with that size. */
    @Test
    void aPlantedMismatchIsReported() {
        ModelCard card = ModelCard.load(CARD);
        try (VitModel model = VitModel.load(card)) {
            List<Attribution> a = Methods.create("saliency", Map.of(), card).explain(
                    new ExplainContext(model, InferenceMode.LOGITS, 16, Granularity.PATCH, 0), DeviceComparison.syntheticItems(card, 2));
            DeviceComparison comparison = new DeviceComparison(card, DeviceComparison.Tolerance.FP32, 16);
            assertTrue(comparison.compare("saliency", a, a).ok());

            float[] moved = a.get(1).scores().clone();
            double max = 0;
            for (float v : moved) {
                max = Math.max(max, Math.abs(v));
            }
            moved[5] += (float) (0.02 * max);
            List<Attribution> b = new ArrayList<>(a);
            b.set(1, withScores(a.get(1), moved, a.get(1).targetScore()));
            DeviceComparison.MethodResult r = comparison.compare("saliency", a, b);
            assertFalse(r.ok(), r.line());
            assertEquals(0.02, r.mapDifference(), 1e-4);

            float shifted = a.get(0).targetScore() + 0.01f * Math.max(1f, Math.abs(a.get(0).targetScore()));
            List<Attribution> c = new ArrayList<>(a);
            c.set(0, withScores(a.get(0), a.get(0).scores(), shifted));
            DeviceComparison.MethodResult s = comparison.compare("saliency", a, c);
            assertFalse(s.ok(), s.line());
            assertEquals(0.01, s.scoreDifference(), 1e-5);
        }
    }

    @Test
    void nanOnOneSideOnlyIsInfinitelyDifferent() {
        assertEquals(Double.POSITIVE_INFINITY, DeviceComparison.relativeMaxDifference(new float[] {1, 2}, new float[] {1, Float.NaN}));
        assertEquals(0.25, DeviceComparison.relativeMaxDifference(new float[] {-4, 2}, new float[] {-4, 3}), 1e-12);
    }

    @Test
    void suggestsTheSmallestBatchWithinTenPercentOfTheBest() {
        List<BatchSizeProbe.Point> points = List.of(new BatchSizeProbe.Point(8, 100, 40, null),
                new BatchSizeProbe.Point(32, 300, 95, null), new BatchSizeProbe.Point(64, 320, 100, null),
                new BatchSizeProbe.Point(128, Double.NaN, Double.NaN, "out of memory"));
        assertEquals(32, BatchSizeProbe.suggest(points));
        assertEquals(-1, BatchSizeProbe.suggest(List.of(points.get(3))));
    }

    /** This machine's libtorch is the CPU build: gpu-check says so in one line and exits 2. */
    @Test
    void withoutAGpuItIsOneLineAndExitTwo() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = new GpuCheck(CARD, CARD, 0.1).run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(GpuCheck.NO_GPU, status, out);
        assertEquals(1, out.lines().count(), out);
        assertTrue(out.startsWith("gpu-check: no GPU here"), out);
    }

    private static Attribution withScores(Attribution a, float[] scores, float targetScore) {
        return new Attribution(a.method(), a.params(), a.granularity(), a.gridHeight(), a.gridWidth(), a.cellSize(),
                scores, a.target(), targetScore, a.modelPasses(), a.completenessGap(), a.baseline());
    }
}
