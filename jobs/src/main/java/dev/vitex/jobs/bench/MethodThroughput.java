package dev.vitex.jobs.bench;

import dev.vitex.core.method.Attribution;
import dev.vitex.core.method.ExplainContext;
import dev.vitex.core.method.ExplainItem;
import dev.vitex.core.method.Explainer;
import dev.vitex.core.method.GradientExplainer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One method with its parameters on a fixed set of images: images/s, model passes/s and efficiency
 * against plain inference. Images are explained in groups, as the job's tasks do
 * ({@code images_per_batch}). The plain peer (forward, or forward+backward for gradient methods)
 * and the method are interleaved in short rounds — peer, method, peer, …, method, peer — because
 * on a shared machine the speed of both drifts by ±20 % over tens of seconds; load then hits both
 * sides of the ratio alike. The efficiency is total method passes/s over total peer passes/s; the
 * smallest, median and largest ratio of one method round to the mean of the peers around it show
 * how much one burst of load moved it.
 */
final class MethodThroughput {
    record Result(String method, String params, int images, long passesPerImage, double imagesPerSecond,
                  double passesPerSecond, double efficiency, double efficiencyMin, double efficiencyMedian, double efficiencyMax,
                  String peer, double peerPassesPerSecond, int rounds) {}

    static Result measure(Explainer explainer, ExplainContext context, List<ExplainItem> items, int groupSize,
                          double seconds, int rounds) {
        boolean gradient = explainer instanceof GradientExplainer;
        double slice = seconds / rounds;
        List<List<ExplainItem>> groups = groups(items, groupSize);
        int[] next = {0};
        long[] images = {0};
        LongSupplier group = () -> {
            List<ExplainItem> g = groups.get(next[0]++ % groups.size());
            long passes = 0;
            for (Attribution a : explainer.explain(context, g)) {
                passes += a.modelPasses();
            }
            images[0] += g.size();
            return passes;
        };
        group.getAsLong(); // warm-up: allocator, JIT, the method's first-use costs
        images[0] = 0;
        Rate[] peers = new Rate[rounds + 1];
        Rate[] runs = new Rate[rounds];
        PlainThroughput.Input peer = new PlainThroughput.Input(context.model(), context.batchSize());
        peers[0] = peer.rate(slice, gradient);
        for (int r = 0; r < rounds; r++) {
            runs[r] = Rate.measureCold(group, slice, 1);
            peers[r + 1] = peer.rate(slice, gradient);
        }
        Rate method = Rate.total(runs);
        double peerRate = Rate.total(peers).perSecond();
        double[] perRound = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            perRound[r] = runs[r].perSecond() / ((peers[r].perSecond() + peers[r + 1].perSecond()) / 2);
        }
        double imagesPerSecond = images[0] / method.seconds();
        return new Result(explainer.name(), explainer.params(context), items.size(),
                Math.round(method.units() / images[0]), imagesPerSecond, method.perSecond(), method.perSecond() / peerRate,
                Arrays.stream(perRound).min().orElseThrow(), median(perRound), Arrays.stream(perRound).max().orElseThrow(),
                gradient ? "forward+backward" : "forward", peerRate, rounds);
    }

    /** The items in groups of {@code groupSize}, as the job's tasks explain them ({@code images_per_batch}). */
    static List<List<ExplainItem>> groups(List<ExplainItem> items, int groupSize) {
        List<List<ExplainItem>> groups = new ArrayList<>();
        for (int i = 0; i < items.size(); i += groupSize) {
            groups.add(items.subList(i, Math.min(items.size(), i + groupSize)));
        }
        return groups;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private MethodThroughput() {}
}
