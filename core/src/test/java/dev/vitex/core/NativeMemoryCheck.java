package dev.vitex.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitex.core.grid.Granularity;
import dev.vitex.core.method.ExplainContext;
import dev.vitex.core.method.ExplainItem;
import dev.vitex.core.method.Explainer;
import dev.vitex.core.method.Methods;
import dev.vitex.core.metric.MetricsEvaluator;
import dev.vitex.core.model.VitModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Native memory stays flat: after a warm-up, 500 consecutive explain calls (every method in turn,
 * defaults, one image per call, deletion/insertion every tenth call) keep the process RSS within
 * 100 MB of its post-warm-up level. Not part of the default run (≈ 2–3 minutes); run it with
 * <pre>
 *   VITEX_MEMORY_CHECK=1 mvn -B test -pl core -Dtest=NativeMemoryCheck
 * </pre>
 * RSS also covers the Java heap, which G1 may grow after the warm-up; the heap's committed size
 * is printed next to RSS so a heap expansion is not mistaken for a native leak.
 */
@EnabledIfEnvironmentVariable(named = "VITEX_MEMORY_CHECK", matches = "1|true")
class NativeMemoryCheck {
    private static final int WARM_UP = 60;
    private static final int CALLS = 500;
    private static final long LIMIT_KB = 100 * 1024;

    static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    @Test
    void explainCallsDoNotGrowNativeMemory() throws IOException {
        VitModel model = TestModels.shapesModel();
        List<String> names = Methods.names();
        List<Explainer> methods = names.stream().map(n -> Methods.create(n, Map.of(), model.card())).toList();
        List<ExplainItem> items = List.of(TestModels.item(TestModels.shapes().get(13)));
        ExplainContext ctx = new ExplainContext(model, dev.vitex.core.model.InferenceMode.LOGITS, 64, Granularity.PATCH, 1);
        MetricsEvaluator metrics = new MetricsEvaluator();
        long base = 0;
        long max = 0;
        long t0 = System.nanoTime();
        for (int call = 0; call < WARM_UP + CALLS; call++) {
            Explainer e = methods.get(call % methods.size());
            var out = e.explain(ctx, items);
            if (call % 10 == 9) {
                metrics.evaluate(ctx, items, out);
            }
            if (call == WARM_UP - 1 || (call >= WARM_UP && (call - WARM_UP + 1) % 50 == 0)) {
                System.gc();
                long rss = rssKb();
                long heap = Runtime.getRuntime().totalMemory() / 1024;
                if (call == WARM_UP - 1) {
                    base = rss;
                }
                max = Math.max(max, rss);
                System.out.printf("after %3d calls%s: RSS %,d kB (Δ %+,d kB), Java heap committed %,d kB, %.0f s%n",
                        call + 1, call < WARM_UP ? " (warm-up)" : "", rss, rss - base, heap, (System.nanoTime() - t0) / 1e9);
            }
        }
        System.out.printf("RSS after warm-up %,d kB, max over %d calls %,d kB, growth %,d kB (limit %,d kB)%n",
                base, CALLS, max, max - base, LIMIT_KB);
        assertTrue(max - base <= LIMIT_KB, "RSS grew by " + (max - base) + " kB");
    }
}
