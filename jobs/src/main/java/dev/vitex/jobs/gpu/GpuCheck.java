package dev.vitex.jobs.gpu;

import ai.djl.Device;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.model.VitModel;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code vitex gpu-check}: engine facts, the bundled fixture model through every method on cuda:0
 * against the CPU, and the given model's throughput by batch size; one screen, then a verdict.
 * Exit status: 0 all good, 1 a mismatch or a failure on the GPU, 2 no GPU on this machine.
 */
public final class GpuCheck {
    /** Precisions checked. bf16/fp16 join this list when `precision` exists (issue #16 item 1). */
    public static final List<String> PRECISIONS = List.of("fp32");
    public static final List<Integer> BATCH_SIZES = List.of(1, 8, 32, 64, 128, 256);
    public static final int OK = 0;
    public static final int MISMATCH = 1;
    public static final int NO_GPU = 2;

    private final Path fixtureCard;
    private final Path modelCard;
    private final double seconds;

    public GpuCheck(Path fixtureCard, Path modelCard, double seconds) {
        this.fixtureCard = fixtureCard;
        this.modelCard = modelCard;
        this.seconds = seconds;
    }

    public int run(PrintStream out) {
        EngineFacts facts = EngineFacts.probe();
        if (!facts.hasGpu()) {
            out.println("gpu-check: no GPU here: " + (facts.error() != null ? "libtorch did not load (" + facts.error() + ")"
                    : "libtorch " + facts.version() + " from " + facts.libtorchPath() + " sees no CUDA device (a CPU build, or no driver)")
                    + "; nothing to check");
            return NO_GPU;
        }
        facts.lines().forEach(out::println);
        out.println("precisions: " + String.join(", ", PRECISIONS) + " (bf16/fp16 not available yet: issue #16 item 1)");
        Device gpu = Device.gpu(0);
        out.println("methods on " + gpu + " vs cpu, fixture model " + fixtureCard.getFileName() + ", tolerances: score "
                + DeviceComparison.Tolerance.FP32.score() + " relative, map " + DeviceComparison.Tolerance.FP32.map() + " of max |A|");
        ModelCard fixture = ModelCard.load(fixtureCard);
        List<DeviceComparison.MethodResult> results;
        try {
            results = new DeviceComparison(fixture, DeviceComparison.Tolerance.FP32, 16)
                    .compare(Device.cpu(), gpu, DeviceComparison.syntheticItems(fixture, 2));
        } catch (RuntimeException e) {
            out.println("verdict: FAILED — the fixture model does not run on " + gpu + ": " + e.getMessage());
            return MISMATCH;
        }
        results.forEach(r -> out.println("  " + r.line()));
        ModelCard card = ModelCard.load(modelCard);
        out.println("throughput of " + card.name() + " on " + gpu + " (fp32):");
        List<BatchSizeProbe.Point> points;
        try (VitModel model = VitModel.load(card, gpu)) {
            points = BatchSizeProbe.measure(model, BATCH_SIZES, seconds);
        }
        points.forEach(p -> out.println(p.line()));
        int suggested = BatchSizeProbe.suggest(points);
        List<String> bad = results.stream().filter(r -> !r.ok()).map(DeviceComparison.MethodResult::method).toList();
        out.println("suggested batch_size: " + (suggested > 0 ? suggested : "none (no batch size ran)"));
        out.println(bad.isEmpty() && suggested > 0 ? "verdict: GPU ready (" + results.size() + " methods match the CPU)"
                : "verdict: NOT ready — " + (bad.isEmpty() ? "no batch size ran" : "differs from the CPU: " + String.join(", ", bad)));
        return bad.isEmpty() && suggested > 0 ? OK : MISMATCH;
    }
}
