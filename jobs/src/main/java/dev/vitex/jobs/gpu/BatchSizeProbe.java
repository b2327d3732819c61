package dev.vitex.jobs.gpu;

import dev.vitex.core.model.VitModel;
import dev.vitex.jobs.bench.PlainThroughput;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain forward and forward + backward images/s of a model at several batch sizes (the bench's
 * {@link PlainThroughput}), and the suggested {@code batch_size}: the smallest one whose forward +
 * backward rate is within 10 % of the best (gradient methods dominate the cost; a larger batch only
 * adds activation memory).
 */
public final class BatchSizeProbe {
    public record Point(int batchSize, double forwardPerSecond, double backwardPerSecond, String error) {
        public String line() {
            return error != null ? String.format("  batch %4d: %s", batchSize, error)
                    : String.format("  batch %4d: forward %9.1f images/s   forward+backward %9.1f images/s",
                            batchSize, forwardPerSecond, backwardPerSecond);
        }
    }

    private BatchSizeProbe() {}

    /** Measures each batch size for about {@code seconds} per kind; stops at the first that fails (out of memory). */
    public static List<Point> measure(VitModel model, List<Integer> batchSizes, double seconds) {
        List<Point> out = new ArrayList<>();
        for (int b : batchSizes) {
            try {
                PlainThroughput.Result r = PlainThroughput.measure(model, b, seconds);
                out.add(new Point(b, r.forwardPassesPerSecond(), r.backwardPassesPerSecond(), null));
            } catch (RuntimeException | OutOfMemoryError e) {
                out.add(new Point(b, Double.NaN, Double.NaN, "failed (" + e.getClass().getSimpleName() + ": "
                        + e.getMessage() + ") — larger batches skipped"));
                break;
            }
        }
        return out;
    }

    /** The smallest measured batch size within 10 % of the best forward + backward rate, or −1 if none ran. */
    public static int suggest(List<Point> points) {
        double best = points.stream().filter(p -> p.error() == null).mapToDouble(Point::backwardPerSecond).max().orElse(-1);
        return points.stream().filter(p -> p.error() == null && p.backwardPerSecond() >= 0.9 * best)
                .mapToInt(Point::batchSize).findFirst().orElse(-1);
    }
}
