package dev.vitex.core.method;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitex.core.Fixtures;
import dev.vitex.core.TestModels;
import dev.vitex.core.grid.Granularity;
import dev.vitex.core.metric.Localization;
import dev.vitex.core.metric.MetricsEvaluator;
import dev.vitex.core.metric.QualityScores;
import dev.vitex.core.model.VitModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * On the shapes fixture (a trained tiny ViT, images with known object boxes), every method with
 * its defaults (rise with n = 1000), at PATCH granularity, explaining the true class: the top unit lies on the object
 * (pointing game ≥ 0.8). Also prints the mass inside the box and the deletion / insertion AUCs
 * (which must lie in [0, 1]); {@code random} is exempt from the pointing game. Methods run two at a time (the model is shared; one intra-op thread
 * each) to use both CI cores.
 */
class FixtureLocalizationTest {
    /** 3 of the 6 images per class keep CI fast; -Dvitex.test.perClass=6 scores all 24. */
    private static final int PER_CLASS = Integer.getInteger("vitex.test.perClass", 3);
    /** -Dvitex.test.methods=a,b scores only those methods. */
    private static final String ONLY = System.getProperty("vitex.test.methods", "");
    /** Settings other than the defaults: rise with 1000 masks instead of 4000 keeps CI fast. */
    private static final Map<String, Map<String, String>> PARAMS = Map.of("rise", Map.of("n", "1000"));
    private static ExecutorService pool;

    @BeforeAll
    static void start() {
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
    }

    private record Row(String method, double pointing, double mass, double deletion, double insertion, long passes, long ms) {}

    @Test
    void everyMethodPointsAtTheObject() throws Exception {
        VitModel model = TestModels.shapesModel();
        List<Fixtures.Shape> samples = TestModels.shapes(PER_CLASS);
        List<ExplainItem> items = samples.stream().map(TestModels::item).toList();
        Map<String, Future<Row>> rows = new LinkedHashMap<>();
        for (String method : Methods.names()) {
            if (!ONLY.isEmpty() && !List.of(ONLY.split(",")).contains(method)) {
                continue;
            }
            rows.put(method, pool.submit(() -> {
                long t0 = System.nanoTime();
                var ctx = TestModels.context(model, 64, Granularity.PATCH, 1);
                List<Attribution> out = Methods.create(method, PARAMS.getOrDefault(method, Map.of()), model.card()).explain(ctx, items);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                List<QualityScores> q = new MetricsEvaluator().evaluate(ctx, items, out);
                double hits = 0;
                double mass = 0;
                double del = 0;
                double ins = 0;
                for (int i = 0; i < out.size(); i++) {
                    hits += Localization.pointingGame(out.get(i), TestModels.box(samples.get(i))) ? 1 : 0;
                    mass += Localization.massInBox(out.get(i), TestModels.box(samples.get(i)));
                    del += q.get(i).deletionAuc();
                    ins += q.get(i).insertionAuc();
                    assertTrue(q.get(i).deletionAuc() >= 0 && q.get(i).deletionAuc() <= 1, "deletion AUC");
                    assertTrue(q.get(i).insertionAuc() >= 0 && q.get(i).insertionAuc() <= 1, "insertion AUC");
                }
                int n = out.size();
                return new Row(method, hits / n, mass / n, del / n, ins / n, out.get(0).modelPasses(), ms);
            }));
        }
        List<String> failures = new ArrayList<>();
        System.out.printf("%n%-22s %8s %8s %9s %9s %8s %8s%n", "method (" + items.size() + " images)", "pointing",
                "mass", "deletion", "insertion", "passes", "ms");
        for (Future<Row> f : rows.values()) {
            Row r = f.get();
            System.out.printf("%-22s %8.3f %8.3f %9.3f %9.3f %8d %8d%n", r.method(), r.pointing(), r.mass(), r.deletion(),
                    r.insertion(), r.passes(), r.ms());
            if (r.pointing() < 0.8 && !r.method().equals(RandomScores.NAME)) { // random is the baseline to beat
                failures.add(r.method() + " " + r.pointing());
            }
        }
        assertTrue(failures.isEmpty(), "pointing game below 0.8: " + failures);
    }
}
