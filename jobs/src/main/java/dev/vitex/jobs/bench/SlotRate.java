package dev.vitex.jobs.bench;

import ai.djl.pytorch.jni.JniUtils;
import dev.vitex.core.method.ExplainContext;
import dev.vitex.core.method.ExplainItem;
import dev.vitex.core.method.Explainer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The core's images/s for one method laid out like the job's tasks: {@code slots} threads with one
 * libtorch intra-op thread each, each explaining its own groups of the prepared images on the shared
 * model — the model work of the job without its reading, decoding, hashing, rows and Spark. Part 2's
 * rate (one batch on the engine's intra-op threads) is another layout: on 2 cores two 1-thread
 * workers explain saliency faster than one 2-thread batch. Measured right before and right after a job
 * run ({@link JobEfficiency}), the pair also shows how much the machine's speed drifted meanwhile.
 */
final class SlotRate {
    private SlotRate() {}

    /** Images/s over about {@code seconds} (at least one group per thread) after one untimed group per thread. */
    static double measure(Explainer explainer, ExplainContext context, List<ExplainItem> items, int groupSize, int slots,
                          double seconds) {
        List<List<ExplainItem>> groups = MethodThroughput.groups(items, groupSize);
        ExecutorService pool = Executors.newFixedThreadPool(slots);
        CountDownLatch warm = new CountDownLatch(slots);
        CountDownLatch go = new CountDownLatch(1);
        long[] start = new long[1];
        try {
            List<Future<long[]>> workers = new ArrayList<>();
            for (int t = 0; t < slots; t++) {
                int first = t;
                workers.add(pool.submit(() -> {
                    JniUtils.setNumThreads(1); // as a task thread of the job (one libtorch thread per task)
                    explainer.explain(context, groups.get(first % groups.size()));
                    warm.countDown();
                    go.await();
                    long deadline = start[0] + (long) (seconds * 1e9);
                    long images = 0;
                    int g = first;
                    do { // at least one timed group per thread, however short the measurement
                        List<ExplainItem> group = groups.get(g % groups.size());
                        explainer.explain(context, group);
                        images += group.size();
                        g += slots;
                    } while (System.nanoTime() < deadline);
                    return new long[] {images, System.nanoTime()};
                }));
            }
            warm.await();
            start[0] = System.nanoTime();
            go.countDown();
            long images = 0;
            long end = start[0];
            for (Future<long[]> w : workers) {
                long[] r = w.get();
                images += r[0];
                end = Math.max(end, r[1]);
            }
            return images / ((end - start[0]) / 1e9);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring " + explainer.name(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(explainer.name() + " failed while measuring its rate: " + e.getCause().getMessage(),
                    e.getCause());
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
