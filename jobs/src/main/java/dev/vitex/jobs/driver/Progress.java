package dev.vitex.jobs.driver;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple4;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Progress lines on the driver every {@code interval} seconds: images done / total, images/s, ETA.
 *
 * <p>Tasks count finished images in a {@link LongAccumulator}. The driver only merges an
 * accumulator when a task ends, so a run of a few long tasks would show nothing for minutes;
 * running tasks' partial counts arrive with executor heartbeats
 * ({@code spark.executor.heartbeatInterval}, 5 s by default here) and are added in.
 */
public final class Progress extends SparkListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("vitex");
    private final long accumulatorId;
    private final long total;
    private final AtomicLong finished = new AtomicLong();
    private final Map<Long, Long> running = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private volatile long startNanos;

    public Progress(LongAccumulator images, long total, double intervalSeconds) {
        this.accumulatorId = images.id();
        this.total = total;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vitex-progress");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(100, Math.round(intervalSeconds * 1000));
        this.startNanos = System.nanoTime();
        timer.scheduleAtFixedRate(() -> LOG.info(line()), ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Images finished so far (completed tasks plus running tasks' last heartbeat). */
    public long done() {
        long d = finished.get();
        for (long v : running.values()) {
            d += v;
        }
        return total > 0 ? Math.min(d, total) : d;
    }

    public String line() {
        long d = done();
        double s = (System.nanoTime() - startNanos) / 1e9;
        double rate = s > 0 ? d / s : 0;
        StringBuilder b = new StringBuilder("progress: ").append(d);
        if (total > 0) {
            b.append('/').append(total).append(" images (").append(String.format(Locale.ROOT, "%.0f%%", 100.0 * d / total)).append(')');
        } else {
            b.append(" images");
        }
        b.append(String.format(Locale.ROOT, ", %.1f images/s", rate));
        if (total > 0) {
            b.append(", ETA ").append(d == 0 ? "unknown" : duration((total - d) / Math.max(rate, 1e-9)));
        }
        return b.append(", elapsed ").append(duration(s)).toString();
    }

    public static String duration(double seconds) {
        long s = Math.round(seconds);
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s";
        }
        return (s / 3600) + "h" + String.format(Locale.ROOT, "%02d", (s % 3600) / 60) + "m";
    }

    @Override
    public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
        for (Tuple4<Object, Object, Object, Seq<AccumulableInfo>> t
                : CollectionConverters.asJava(update.accumUpdates())) {
            long taskId = (Long) t._1();
            for (AccumulableInfo info : CollectionConverters.asJava(t._4())) {
                if (info.id() == accumulatorId && info.update().isDefined()) {
                    running.put(taskId, toLong(info.update().get()));
                }
            }
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd end) {
        long taskId = end.taskInfo().taskId();
        running.remove(taskId);
        if (end.reason() != Success$.MODULE$) {
            return;
        }
        for (AccumulableInfo info : CollectionConverters.asJava(end.taskInfo().accumulables())) {
            if (info.id() == accumulatorId && info.update().isDefined()) {
                finished.addAndGet(toLong(info.update().get()));
            }
        }
    }

    private static long toLong(Object v) {
        return v instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(v));
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
