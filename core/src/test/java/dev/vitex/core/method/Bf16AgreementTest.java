package dev.vitex.core.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.vitex.core.Fixtures;
import dev.vitex.core.TestModels;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.model.InferenceMode;
import dev.vitex.core.model.Precision;
import dev.vitex.core.model.VitModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every registered method at PATCH granularity gives nearly the same attributions with the bf16
 * variant of the shapes fixture as with float32: per-image Pearson correlation ≥ 0.95 on the samples.
 * Both runs explain the float32 model's predicted class (a prediction bf16 flipped would otherwise
 * compare two different questions) with the same seed, so stochastic methods draw the same noise and
 * masks and differ only by the model's precision. Prints the table method → min and mean Pearson
 * (docs/djl-spark-notes.md § Precision). Settings are {@link AllMethods#fast()} (small sample counts);
 * -Dvitex.test.bf16.defaults=true uses every method's defaults instead. 3 of the 6 samples per class
 * keep CI fast; -Dvitex.test.perClass=6 compares all 24 (the documented table).
 */
class Bf16AgreementTest {
    static final double MIN_PEARSON = 0.95;
    private static final int PER_CLASS = Integer.getInteger("vitex.test.perClass", 3);
    private static final boolean DEFAULTS = Boolean.getBoolean("vitex.test.bf16.defaults");
    /** -Dvitex.test.methods=a,b compares only those methods. */
    private static final String ONLY = System.getProperty("vitex.test.methods", "");
    private static ExecutorService pool;

    @BeforeAll
    static void start() {
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
    }

    private record Row(String method, double min, double mean, long ms) {}

    @Test
    void everyMethodAgreesWithFloat32PerImage() throws Exception {
        VitModel fp32 = TestModels.shapesModel();
        VitModel bf16 = TestModels.shapesModel(Precision.BF16);
        List<Fixtures.Shape> samples = TestModels.shapes(PER_CLASS);
        int[] predicted = predictions(fp32, samples);
        List<ExplainItem> items = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            items.add(samples.get(i).item(predicted[i]));
        }
        Map<String, Future<Row>> rows = new LinkedHashMap<>();
        for (String method : Methods.names()) {
            if (!ONLY.isEmpty() && !List.of(ONLY.split(",")).contains(method)) {
                continue;
            }
            Map<String, String> params = DEFAULTS ? Map.of() : AllMethods.fast().get(method);
            assertTrue(params != null, "AllMethods.fast() lacks " + method);
            rows.put(method, pool.submit(() -> compare(method, params, fp32, bf16, items)));
        }
        List<String> failures = new ArrayList<>();
        System.out.printf("%n%-22s %8s %8s %7s   (bf16 vs fp32, %d images, PATCH, %s settings)%n", "method", "min r",
                "mean r", "ms", items.size(), DEFAULTS ? "default" : "AllMethods.fast");
        for (Future<Row> f : rows.values()) {
            Row r = f.get();
            System.out.printf("%-22s %8.4f %8.4f %7d%n", r.method(), r.min(), r.mean(), r.ms());
            if (!(r.min() >= MIN_PEARSON)) {
                failures.add(r.method() + " min " + r.min());
            }
        }
        assertTrue(failures.isEmpty(), "per-image Pearson below " + MIN_PEARSON + ": " + failures);
    }

    private static Row compare(String method, Map<String, String> params, VitModel fp32, VitModel bf16,
                               List<ExplainItem> items) {
        long t0 = System.nanoTime();
        List<Attribution> a = Methods.create(method, params, fp32.card()).explain(TestModels.context(fp32, 64, Granularity.PATCH, 7), items);
        List<Attribution> b = Methods.create(method, params, bf16.card()).explain(TestModels.context(bf16, 64, Granularity.PATCH, 7), items);
        assertEquals(a.size(), b.size());
        double min = Double.POSITIVE_INFINITY;
        double sum = 0;
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).target(), b.get(i).target());
            double r = pearson(a.get(i).scores(), b.get(i).scores());
            min = Math.min(min, r);
            sum += r;
        }
        return new Row(method, min, sum / a.size(), (System.nanoTime() - t0) / 1_000_000);
    }

    private static int[] predictions(VitModel model, List<Fixtures.Shape> samples) {
        float[] flat = new float[samples.size() * 3 * 64 * 64];
        for (int i = 0; i < samples.size(); i++) {
            System.arraycopy(samples.get(i).input(), 0, flat, i * 3 * 64 * 64, 3 * 64 * 64);
        }
        try (NDManager scope = model.newScope()) {
            float[] s = model.scores(scope.create(flat, new Shape(samples.size(), 3, 64, 64)), InferenceMode.LOGITS).toFloatArray();
            int classes = model.card().numClasses();
            int[] out = new int[samples.size()];
            for (int i = 0; i < out.length; i++) {
                for (int c = 1; c < classes; c++) {
                    out[i] = s[i * classes + c] > s[i * classes + out[i]] ? c : out[i];
                }
            }
            return out;
        }
    }

    /** Pearson correlation (Commons Math); two identical constant maps count as 1, a constant map against a varying one as 0. */
    static double pearson(float[] x, float[] y) {
        double[] a = IntStream.range(0, x.length).mapToDouble(i -> x[i]).toArray();
        double[] b = IntStream.range(0, y.length).mapToDouble(i -> y[i]).toArray();
        boolean flatA = Arrays.stream(a).allMatch(v -> v == a[0]);
        boolean flatB = Arrays.stream(b).allMatch(v -> v == b[0]);
        if (flatA || flatB) {
            return flatA && flatB && Arrays.equals(x, y) ? 1 : 0;
        }
        return new PearsonsCorrelation().correlation(a, b);
    }
}
