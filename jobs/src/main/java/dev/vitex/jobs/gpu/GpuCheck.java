package dev.vitex.jobs.gpu;

import ai.djl.Device;
import dev.vitex.core.model.BatchGate;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.model.Precision;
import dev.vitex.core.model.VitModel;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code vitex gpu-check}: engine facts, the bundled fixture model through every method on cuda:0
 * against the CPU in fp32 and in bf16, and the given model's throughput by batch size in each precision
 * its card has; one screen, then a verdict (the fp32 batch-size suggestion must exist).
 * Exit status: 0 all good, 1 a mismatch or a failure on the GPU, 2 no GPU on this machine.
 */
public final class GpuCheck {
    /**
     * Precisions compared with the CPU: fp32, and bf16 through the fixture's bf16 file. fp16 has no CPU
     * reference (refused on the CPU), so it is not compared; its throughput is measured when the card has it.
     */
    public static final List<Precision> PRECISIONS = List.of(Precision.FP32, Precision.BF16);
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
        Device gpu = Device.gpu(0);
        ModelCard fixture = ModelCard.load(fixtureCard);
        List<DeviceComparison.MethodResult> results = new ArrayList<>();
        for (Precision precision : PRECISIONS) {
            DeviceComparison.Tolerance tolerance = DeviceComparison.Tolerance.of(precision);
            out.println("methods on " + gpu + " vs cpu in " + precision.configName() + ", fixture model "
                    + fixtureCard.getFileName() + ", tolerances: score " + tolerance.score() + " relative, map "
                    + tolerance.map() + " of max |A|");
            try {
                List<DeviceComparison.MethodResult> rs = new DeviceComparison(fixture, tolerance, 16)
                        .compare(Device.cpu(), gpu, precision, DeviceComparison.syntheticItems(fixture, 2));
                rs.forEach(r -> out.println("  " + r.line()));
                rs.stream().map(r -> r.withMethod(precision.configName() + " " + r.method())).forEach(results::add);
            } catch (RuntimeException e) {
                out.println("verdict: FAILED — the fixture model does not run on " + gpu + " in " + precision.configName()
                        + ": " + e.getMessage());
                return MISMATCH;
            }
        }
        ModelCard card = ModelCard.load(modelCard);
        int suggested = -1;
        for (Precision precision : Precision.values()) {
            if (precision != Precision.FP32 && !card.precisions().containsKey(precision)) {
                out.println("throughput of " + card.name() + " in " + precision.configName() + ": not measured (the card "
                        + "has no " + precision.configName() + " file; scripts/export_vit.py --precisions "
                        + precision.configName() + " writes one)");
                continue;
            }
            out.println("throughput of " + card.name() + " on " + gpu + " (" + precision.configName() + "):");
            List<BatchSizeProbe.Point> points;
            try (VitModel model = VitModel.load(card, gpu, BatchGate.UNLIMITED, precision)) {
                points = BatchSizeProbe.measure(model, BATCH_SIZES, seconds);
            }
            points.forEach(p -> out.println(p.line()));
            int best = BatchSizeProbe.suggest(points);
            out.println("suggested batch_size for " + precision.configName() + ": " + (best > 0 ? best : "none (no batch size ran)"));
            suggested = precision == Precision.FP32 ? best : suggested;
        }
        List<String> bad = results.stream().filter(r -> !r.ok()).map(DeviceComparison.MethodResult::method).toList();
        out.println(bad.isEmpty() && suggested > 0 ? "verdict: GPU ready (" + results.size() + " method × precision runs match the CPU)"
                : "verdict: NOT ready — " + (bad.isEmpty() ? "no batch size ran" : "differs from the CPU: " + String.join(", ", bad)));
        return bad.isEmpty() && suggested > 0 ? OK : MISMATCH;
    }
}
