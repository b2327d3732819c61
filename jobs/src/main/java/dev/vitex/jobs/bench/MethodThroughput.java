package dev.vitex.jobs.bench;

import dev.vitex.core.method.ExplainContext;
import dev.vitex.core.method.ExplainItem;
import dev.vitex.core.method.Explainer;
import dev.vitex.core.method.GradientExplainer;
import dev.vitex.core.result.Attribution;
import java.util.List;

/**
 * One method with its parameters on a fixed set of images: images/s, model passes/s and efficiency
 * against plain inference. The plain peer (forward, or forward+backward for gradient methods) is
 * measured right before and right after the method and averaged, so that load from other processes
 * on a shared machine hits both sides of the ratio alike.
 */
final class MethodThroughput {
    record Result(String method, String params, int images, long passesPerImage, double imagesPerSecond,
                  double passesPerSecond, double efficiency, String peer, double peerPassesPerSecond) {}

    static Result measure(Explainer explainer, ExplainContext context, List<ExplainItem> items, double seconds) {
        boolean gradient = explainer instanceof GradientExplainer;
        double before = PlainThroughput.measure(context.model(), context.batchSize(), seconds, gradient);
        long[] passes = new long[1];
        Rate rate = Rate.measure(() -> {
            long p = 0;
            for (Attribution a : explainer.explain(context, items)) {
                p += a.modelPasses();
            }
            passes[0] = p;
            return items.size();
        }, seconds, 1);
        double after = PlainThroughput.measure(context.model(), context.batchSize(), seconds, gradient);
        double imagesPerSecond = rate.perSecond();
        double passesPerSecond = imagesPerSecond * passes[0] / items.size();
        double peer = (before + after) / 2;
        return new Result(explainer.name(), explainer.params(context), items.size(), passes[0] / items.size(),
                imagesPerSecond, passesPerSecond, passesPerSecond / peer, gradient ? "forward+backward" : "forward", peer);
    }

    private MethodThroughput() {}
}
