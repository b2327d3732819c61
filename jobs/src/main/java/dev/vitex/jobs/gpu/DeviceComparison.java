package dev.vitex.jobs.gpu;

import ai.djl.Device;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.method.Attribution;
import dev.vitex.core.method.ExplainContext;
import dev.vitex.core.method.ExplainItem;
import dev.vitex.core.method.Explainer;
import dev.vitex.core.method.Methods;
import dev.vitex.core.model.BatchGate;
import dev.vitex.core.model.InferenceMode;
import dev.vitex.core.model.ModelCard;
import dev.vitex.core.model.Precision;
import dev.vitex.core.model.VitModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Runs every registered method on the same items on two devices (e.g. cpu and cuda:0) and compares
 * the results within {@link Tolerance}: the target scores, and each attribution map's largest
 * difference relative to the map's largest magnitude. Sample-based methods draw from seeded streams
 * in Java, so both devices see the same perturbations; what differs is the device's arithmetic
 * (kernel choice, reduction order, TF32 convolutions on Ampere and newer).
 */
public record DeviceComparison(ModelCard card, Tolerance tolerance, int batchSize) {
    /**
     * Small sample counts, and the sampling mask methods on cells of 2 × 2 patches (lime needs more
     * samples than units): the comparison is of arithmetic, not of estimator quality, and runs on the CPU too.
     */
    private static Map<String, String> quickParams(String method, ModelCard card) {
        String cells = Integer.toString(2 * card.patchSize());
        return switch (method) {
            case "integrated_gradients" -> Map.of("steps", "8");
            case "smooth_grad", "var_grad", "square_grad", "gradient_shap" -> Map.of("n", "4");
            case "lime", "kernel_shap" -> Map.of("n", "48", "cell_size", cells);
            case "sobol" -> Map.of("designs", "2", "cell_size", cells);
            default -> Map.of();
        };
    }

    /**
     * @param score largest |Δ target score| allowed, relative to max(1, |score|)
     * @param map largest |Δ attribution| allowed, relative to the map's largest |value| on the first device
     */
    public record Tolerance(double score, double map) {
        /** Documented in README § GPU clusters: float32 on both sides, TF32 convolutions allowed. */
        public static final Tolerance FP32 = new Tolerance(1e-3, 1e-2);
        /**
         * bf16 on both sides (the card's bf16 file): the two devices' bf16 kernels may round differently,
         * by a few bf16 steps (2⁻⁸ relative each). Set from the CPU's bf16 vs fp32 on the fixture
         * (a GPU's bf16 should be no further from the CPU's bf16 than bf16 is from fp32), on gpu-check's 2
         * synthetic images: score 4.4e-3; map ≤ 6.5e-2 of max |A| for every method but sobol, 0.16 for
         * sobol (2 designs: variance ratios amplify small score changes). About 2× margin on both;
         * DeviceComparisonTest checks it on 1 image (quicker).
         */
        public static final Tolerance BF16 = new Tolerance(1e-2, 3e-1);

        /** The tolerance for {@code precision} on both devices (fp16 has none: it has no CPU reference). */
        public static Tolerance of(Precision precision) {
            return switch (precision) {
                case FP32 -> FP32;
                case BF16 -> BF16;
                case FP16 -> throw new IllegalArgumentException("fp16 has no CPU reference to compare with");
            };
        }
    }

    /** One method's comparison. */
    public record MethodResult(String method, double scoreDifference, double mapDifference, boolean ok, String error) {
        /** The same result under another name (gpu-check prefixes the precision). */
        public MethodResult withMethod(String name) {
            return new MethodResult(name, scoreDifference, mapDifference, ok, error);
        }

        public String line() {
            return error != null ? String.format("%-22s FAILED  %s", method, error)
                    : String.format("%-22s %-6s  score Δ %.2e  map Δ %.2e (of max |A|)", method, ok ? "ok" : "DIFFERS",
                            scoreDifference, mapDifference);
        }
    }

    /** Every registered method on {@code items}, explained on {@code first} and on {@code second} in float32. */
    public List<MethodResult> compare(Device first, Device second, List<ExplainItem> items) {
        return compare(first, second, Precision.FP32, items);
    }

    /** As {@link #compare(Device, Device, List)} with the card's file for {@code precision} on both devices. */
    public List<MethodResult> compare(Device first, Device second, Precision precision, List<ExplainItem> items) {
        try (VitModel a = VitModel.load(card, first, BatchGate.UNLIMITED, precision);
             VitModel b = VitModel.load(card, second, BatchGate.UNLIMITED, precision)) {
            return compare(a, b, items);
        }
    }

    /** As {@link #compare(Device, Device, List)} with loaded models (the same card on two devices, or two models). */
    public List<MethodResult> compare(VitModel first, VitModel second, List<ExplainItem> items) {
        List<MethodResult> out = new ArrayList<>();
        for (String method : Methods.names()) {
            try {
                Explainer explainer = Methods.create(method, quickParams(method, card), card);
                out.add(compare(method, run(explainer, first, items), run(explainer, second, items)));
            } catch (RuntimeException e) {
                out.add(new MethodResult(method, Double.NaN, Double.NaN, false, e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
        }
        return out;
    }

    /** The differences of two runs of one method, attribution by attribution. */
    public MethodResult compare(String method, List<Attribution> first, List<Attribution> second) {
        if (first.size() != second.size()) {
            return new MethodResult(method, Double.NaN, Double.NaN, false, first.size() + " vs " + second.size() + " attributions");
        }
        double scoreDiff = 0;
        double mapDiff = 0;
        for (int i = 0; i < first.size(); i++) {
            Attribution x = first.get(i);
            Attribution y = second.get(i);
            scoreDiff = Math.max(scoreDiff, Math.abs(x.targetScore() - y.targetScore()) / Math.max(1.0, Math.abs(x.targetScore())));
            mapDiff = Math.max(mapDiff, relativeMaxDifference(x.scores(), y.scores()));
        }
        boolean ok = scoreDiff <= tolerance.score() && mapDiff <= tolerance.map();
        return new MethodResult(method, scoreDiff, mapDiff, ok, null);
    }

    /** max |a − b| ÷ max |a| (NaN anywhere, or a length mismatch, is infinitely different). */
    static double relativeMaxDifference(float[] a, float[] b) {
        if (a.length != b.length) {
            return Double.POSITIVE_INFINITY;
        }
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            if (Float.isNaN(a[i]) != Float.isNaN(b[i])) {
                return Double.POSITIVE_INFINITY;
            }
            if (!Float.isNaN(a[i])) {
                scale = Math.max(scale, Math.abs(a[i]));
                diff = Math.max(diff, Math.abs((double) a[i] - b[i]));
            }
        }
        return scale == 0 ? diff : diff / scale;
    }

    private List<Attribution> run(Explainer explainer, VitModel model, List<ExplainItem> items) {
        return explainer.explain(new ExplainContext(model, InferenceMode.LOGITS, batchSize, Granularity.PATCH, 0), items);
    }

    /**
     * {@code count} deterministic inputs for the card: a bright square on smooth noise, at a different
     * place in each, explained for classes 0 and the last.
     */
    public static List<ExplainItem> syntheticItems(ModelCard card, int count) {
        int c = card.channels();
        int h = card.inputHeight();
        int w = card.inputWidth();
        List<ExplainItem> items = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            SplittableRandom rng = new SplittableRandom(17 + k);
            float[] x = new float[c * h * w];
            int y0 = (k * h / 3) % (h / 2);
            int x0 = (k * w / 5 + w / 4) % (w / 2);
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        boolean square = i >= y0 && i < y0 + h / 3 && j >= x0 && j < x0 + w / 3;
                        x[(ch * h + i) * w + j] = (float) ((square ? 1.5 : -0.5) + 0.2 * rng.nextGaussian());
                    }
                }
            }
            items.add(new ExplainItem(String.format("%064x", 1000 + k), x, new int[] {0, card.numClasses() - 1}));
        }
        return items;
    }
}
