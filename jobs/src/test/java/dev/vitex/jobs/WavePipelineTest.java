package dev.vitex.jobs;

import static dev.vitex.jobs.JobTests.attributions;
import static dev.vitex.jobs.JobTests.manifest;
import static dev.vitex.jobs.JobTests.run;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Waves are pipelined (issue 16): wave k + 1's Spark job is submitted before wave k's has ended, so the
 * task slots never wait for a wave's last task, its commit or the next wave's planning; and still every
 * image is committed once, in waves committed in order.
 */
class WavePipelineTest {
    @TempDir
    Path dir;

    @Test
    void theNextWavesJobIsQueuedBeforeAWaveEndsAndEveryImageIsCommittedOnce() throws InterruptedException {
        SparkSession spark = JobTests.spark();
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        SparkListener listener = new SparkListener() {
            @Override
            public void onJobStart(SparkListenerJobStart start) {
                // a wave's job (not the planning jobs of a shuffle before it)
                if (start.stageInfos().exists(st -> st.name().startsWith("collectAsync"))) {
                    events.add("start " + start.jobId());
                }
            }

            @Override
            public void onJobEnd(SparkListenerJobEnd end) {
                if (events.contains("start " + end.jobId())) {
                    events.add("end " + end.jobId());
                }
            }
        };
        spark.sparkContext().addSparkListener(listener);
        Path out = dir.resolve("out");
        try {
            run("run", "--input", JobTests.samples().toString(), "--model", JobTests.shapesCard().toString(), "--output", out.toString(),
                    "--methods", "saliency", "--master", "local[2]", "--partitions", "3", "--set", "wave_partitions=1",
                    "--no-report").expectOk();
            // the listener bus is asynchronous: wait until every job's end has been delivered
            for (int i = 0; i < 100 && events.stream().filter(e -> e.startsWith("end")).count()
                    < events.stream().filter(e -> e.startsWith("start")).count(); i++) {
                Thread.sleep(100);
            }
        } finally {
            spark.sparkContext().removeSparkListener(listener);
        }
        assertEquals(3, manifest(out).getAsJsonObject("plan").get("waves").getAsInt());
        List<String> seen = List.copyOf(events);
        List<Integer> jobs = seen.stream().filter(e -> e.startsWith("start")).map(e -> Integer.parseInt(e.substring(6))).toList();
        assertEquals(3, jobs.size(), "one job per wave: " + seen);
        // wave 1 is submitted right after wave 0, before wave 0 is awaited; later waves right after the commit
        // of the wave before the one computing (then wave k + 1 may end first: here a wave is one task on 2 slots)
        assertTrue(seen.indexOf("start " + jobs.get(1)) < seen.indexOf("end " + jobs.get(0)),
                "wave 1's job is submitted before wave 0's ends: " + seen);
        assertTrue(seen.indexOf("start " + jobs.get(2)) > seen.indexOf("end " + jobs.get(0)),
                "wave 2's job is submitted after wave 0 ended (at most two waves in flight): " + seen);
        long images = JobTests.sampleImages(JobTests.samples()).size();
        assertEquals(images, attributions(out).count());
        assertEquals(images, attributions(out).select(col("image_id")).distinct().count());
    }
}
