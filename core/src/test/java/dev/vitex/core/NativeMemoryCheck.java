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
 * "Within 100 MB" is measured as the largest rise of RSS from any sample to a later one (samples
 * every 25 calls after a GC): RSS may also fall after the warm-up as allocators return memory,
 * which must not hide a later climb. RSS also covers the Java heap; its committed size is printed
 * next to RSS so a heap expansion is not mistaken for a native leak.
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
        long warm = 0;
        long runningMin = Long.MAX_VALUE;
        long min = Long.MAX_VALUE;
        long max = 0;
        long growth = 0; // the largest rise from any earlier sample to a later one
        long last = 0;
        long t0 = System.nanoTime();
        for (int call = 0; call < WARM_UP + CALLS; call++) {
            Explainer e = methods.get(call % methods.size());
            var out = e.explain(ctx, items);
            if (call % 10 == 9) {
                metrics.evaluate(ctx, items, out);
            }
            if (call == WARM_UP - 1 || (call >= WARM_UP && (call - WARM_UP + 1) % 25 == 0)) {
                System.gc();
                long rss = rssKb();
                long heap = Runtime.getRuntime().totalMemory() / 1024;
                if (call == WARM_UP - 1) {
                    warm = rss;
                }
                runningMin = Math.min(runningMin, rss);
                growth = Math.max(growth, rss - runningMin);
                min = Math.min(min, rss);
                max = Math.max(max, rss);
                last = rss;
                System.out.printf("after %3d calls%s: RSS %,d kB, Java heap committed %,d kB, %.0f s%n",
                        call + 1, call < WARM_UP ? " (warm-up)" : "", rss, heap, (System.nanoTime() - t0) / 1e9);
            }
        }
        System.out.printf("RSS after warm-up %,d kB; over the next %d calls min %,d, max %,d, final %,d kB; "
                + "largest rise %,d kB (limit %,d kB)%n", warm, CALLS, min, max, last, growth, LIMIT_KB);
        assertTrue(growth <= LIMIT_KB, "RSS rose by " + growth + " kB");
    }
}
