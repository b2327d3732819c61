package dev.vitex.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitex.jobs.driver.Progress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;
import org.junit.jupiter.api.Test;

/** Progress counts images of running tasks (from heartbeats), not only of finished ones. */
class ProgressTest {

    @Test
    void runningTasksReportTheirImages() throws Exception {
        SparkSession spark = JobTests.spark(); // heartbeats every 2 s
        LongAccumulator images = spark.sparkContext().longAccumulator("test.images");
        Progress progress = new Progress(images, 20, 3600);
        spark.sparkContext().addSparkListener(progress);
        try {
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            CompletableFuture<Long> job = CompletableFuture.supplyAsync(() ->
                    jsc.parallelize(List.of(1, 2), 2).map(i -> {
                        for (int k = 0; k < 10; k++) { // one long task per partition: 10 images, 0.6 s each
                            Thread.sleep(600);
                            images.add(1);
                        }
                        return i;
                    }).count());
            long seenWhileRunning = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!job.isDone() && System.nanoTime() < deadline) {
                seenWhileRunning = Math.max(seenWhileRunning, job.isDone() ? 0 : progress.done());
                Thread.sleep(200);
            }
            assertEquals(2L, job.get(60, TimeUnit.SECONDS));
            assertTrue(seenWhileRunning > 0 && seenWhileRunning < 20,
                    "a partial count arrived before the tasks ended: " + seenWhileRunning);
            long deadlineEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (progress.done() < 20 && System.nanoTime() < deadlineEnd) {
                Thread.sleep(100); // the listener bus delivers task ends asynchronously
            }
            assertEquals(20, progress.done());
            String line = progress.line();
            assertTrue(line.startsWith("progress: 20/20 images (100%), "), line);
            assertTrue(line.contains("images/s") && line.contains("ETA"), line);
        } finally {
            progress.close();
            spark.sparkContext().removeSparkListener(progress);
        }
    }

    @Test
    void durations() {
        assertEquals("42s", Progress.duration(42));
        assertEquals("1m18s", Progress.duration(78));
        assertEquals("2h05m", Progress.duration(7500));
    }
}
