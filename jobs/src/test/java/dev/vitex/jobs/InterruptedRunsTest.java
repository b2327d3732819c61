package dev.vitex.jobs;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.vitex.jobs.output.OutputLock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promises of README § Interrupted runs, with real processes: a child JVM running the job is
 * SIGKILLed about half way and the folder resumed; a second run into a folder in use is refused; an
 * overwrite killed early keeps the previous run; a stale lock is taken over; a planted
 * {@code _temporary} creates no duplicates; a resume with other params or another input root is
 * refused; an all-bad input exits 1; secrets are redacted. The tests share one output folder, in order.
 * Every child process is stopped by its PID.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class InterruptedRunsTest {
    private static final int COPIES = 4; // 4 × 24 sample images
    private static final int IMAGES = COPIES * 24;
    private static final int WAVES = IMAGES / 16; // one partition of 16 images per wave (--partitions, wave_partitions=1)

    @TempDir
    static Path tmp;
    Path input;
    Path out;
    final List<Process> children = new ArrayList<>();

    @BeforeAll
    void inputs() {
        input = tmp.resolve("in");
        for (int i = 0; i < COPIES; i++) {
            JobTests.copySamples(input.resolve("copy" + i));
        }
        out = tmp.resolve("out");
    }

    @AfterAll
    void stopChildren() throws InterruptedException {
        for (Process p : children) {
            p.destroyForcibly();
            p.waitFor(20, TimeUnit.SECONDS);
        }
    }

    private List<String> job(String mode) {
        return new ArrayList<>(List.of("run", "--input", input.toString(), "--model", JobTests.shapesCard().toString(),
                "--output", out.toString(), "--methods", "saliency,integrated_gradients", "--param", "integrated_gradients.steps=2",
                "--mode", mode, "--master", "local[2]", "--partitions", String.valueOf(WAVES), "--set", "wave_partitions=1",
                "--set", "images_per_batch=8"));
    }

    /** The job in a child JVM with the test class path and the surefire JVM flags; output into {@code log}. */
    private Process child(List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-Xmx1g", "-XX:TieredStopAtLevel=1"));
        cmd.addAll(Arrays.stream(System.getProperty("vitex.jvm.flags", "").trim().split("\\s+")).filter(s -> !s.isBlank()).toList());
        cmd.addAll(List.of("-Dai.djl.offline=true", "-Dai.djl.pytorch.num_interop_threads=1", "-Dai.djl.pytorch.graph_optimizer=false",
                "-Dlog4j2.configurationFile=" + Path.of("src/test/resources/log4j2-cluster.properties").toAbsolutePath()));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), AttributionJob.class.getName()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        Process p = pb.start();
        children.add(p);
        return p;
    }

    /** Waits until the manifest at {@code manifest} satisfies {@code ready}; fails when the child ends first. */
    private static JsonObject await(Path manifest, Process child, Path log, Predicate<JsonObject> ready) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline) {
            JsonObject m = read(manifest);
            if (m != null && ready.test(m)) {
                return m;
            }
            if (!child.isAlive()) {
                fail("the child run ended (status " + child.exitValue() + ") before the point of the kill:\n" + tail(log));
            }
            Thread.sleep(20);
        }
        fail("the child run did not get there within 240 s:\n" + tail(log));
        return null;
    }

    private static JsonObject read(Path manifest) {
        try {
            return JsonParser.parseString(Files.readString(manifest)).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long wavesCommitted(JsonObject m) {
        return m.has("counts") && m.getAsJsonObject("counts").has("waves_committed")
                ? m.getAsJsonObject("counts").get("waves_committed").getAsLong() : 0;
    }

    private static void kill(Process p) throws InterruptedException {
        p.destroyForcibly(); // SIGKILL: nothing of the job runs after it
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "killed child ended");
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private Dataset<Row> rows() {
        return JobTests.attributions(out).select("image_id", "method", "target");
    }

    long committedBeforeKill;
    String killedRunId;
    String resumedRunId;

    @Test
    @Order(1)
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void aRunKilledHalfWayIsResumedExactlyOnceAndASecondRunIsRefused() throws Exception {
        Path log = tmp.resolve("first.log");
        Process first = child(job("overwrite"), log);
        JsonObject running = await(out.resolve("_manifest.json"), first, log, m -> m.has("run_id"));
        killedRunId = running.get("run_id").getAsString();
        assertEquals("running", running.get("status").getAsString());

        // item 9: a concurrent append into the folder in use is refused at once, naming the holder
        JobTests.Run second = JobTests.run(JobTests.args(job("append")));
        assertEquals(2, second.status(), second.err());
        assertTrue(second.err().contains("is in use by run " + killedRunId) && second.err().contains("pid " + first.pid()),
                second.err());
        assertEquals(1, second.err().strip().lines().count(), second.err());

        JsonObject half = await(out.resolve("_manifest.json"), first, log, m -> wavesCommitted(m) >= WAVES / 2);
        kill(first);
        JsonObject atKill = read(out.resolve("_manifest.json"));
        assertEquals("running", atKill.get("status").getAsString(), "a killed run's manifest stays running");
        long waves = wavesCommitted(atKill);
        assertTrue(waves >= WAVES / 2 && waves < WAVES, "killed about half way: " + waves + " of " + WAVES + " waves");
        assertTrue(Files.exists(out.resolve(OutputLock.NAME)), "the killed run's lock is left behind");

        Dataset<Row> committed = rows();
        long rowsAtKill = committed.count();
        committedBeforeKill = committed.select("image_id").distinct().count();
        assertEquals(rowsAtKill, committed.distinct().count(), "no duplicate before the kill");
        assertEquals(2 * committedBeforeKill, rowsAtKill, "a committed image has its rows of both methods");
        assertTrue(committedBeforeKill > 0 && committedBeforeKill < IMAGES, "committed " + committedBeforeKill);
        System.out.printf("killed after %d of %d waves: %d image(s), %d row(s) committed (first progress at %s)%n",
                waves, WAVES, committedBeforeKill, rowsAtKill, half.get("started_at"));

        JobTests.Run resumed = JobTests.run(JobTests.args(job("resume")));
        resumed.expectOk();
        JsonObject m = JobTests.manifest(out);
        resumedRunId = m.get("run_id").getAsString();
        assertEquals("succeeded", m.get("status").getAsString());
        JsonObject counts = m.getAsJsonObject("counts");
        assertEquals(committedBeforeKill, counts.get("images_already_done").getAsLong(), "the committed waves were skipped");
        assertEquals(IMAGES - committedBeforeKill, counts.get("images_read").getAsLong(), "only the rest was explained");
        String notes = m.getAsJsonArray("notes").toString();
        assertTrue(notes.contains("run " + killedRunId) && notes.contains("did not finish"), notes);
        assertTrue(notes.contains("taking over the lock") && notes.contains("is gone"), notes);

        Dataset<Row> all = rows();
        assertEquals(2L * IMAGES, all.count(), "every image × method exactly once");
        assertEquals(2L * IMAGES, all.distinct().count());
        assertEquals(IMAGES, all.select("image_id").distinct().count());
        assertFalse(Files.exists(out.resolve(OutputLock.NAME)), "the lock is released at the end");
        System.out.printf("resumed: %d image(s) skipped, %d explained; %d rows, %d distinct%n", committedBeforeKill,
                IMAGES - committedBeforeKill, all.count(), all.distinct().count());
    }

    @Test
    @Order(2)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void anOverwriteKilledEarlyKeepsThePreviousRun() throws Exception {
        List<Row> before = rows().orderBy("image_id", "method").collectAsList();
        Path log = tmp.resolve("overwrite.log");
        Process overwrite = child(job("overwrite"), log);
        // killed once its first wave is committed (into the staging area beside the previous run)
        Path staging = out.resolve("_vitex_staging");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        boolean staged = false;
        while (!staged && System.nanoTime() < deadline && overwrite.isAlive()) {
            if (Files.isDirectory(staging)) {
                try (Stream<Path> runs = Files.list(staging)) {
                    staged = runs.map(r -> read(r.resolve("_manifest.json"))).anyMatch(x -> x != null && wavesCommitted(x) >= 1);
                } catch (IOException e) {
                    // listed while it changed: look again
                }
            }
            Thread.sleep(20);
        }
        assertTrue(staged, "the overwrite committed a wave into its staging area:\n" + tail(log));
        kill(overwrite);

        JsonObject m = JobTests.manifest(out);
        assertEquals(resumedRunId, m.get("run_id").getAsString(), "the previous run's manifest is in place");
        assertEquals("succeeded", m.get("status").getAsString());
        assertEquals(before, rows().orderBy("image_id", "method").collectAsList(), "the previous run's rows are all readable");
    }

    @Test
    @Order(3)
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aStaleLockIsTakenOverAndAPlantedTemporaryCreatesNoDuplicate() throws Exception {
        // the killed overwrite's lock, rewritten as a live process's lock whose heartbeat stopped an hour ago
        long live = ProcessHandle.current().parent().orElse(ProcessHandle.current()).pid();
        Instant old = Instant.now().minusSeconds(3600);
        Files.writeString(out.resolve(OutputLock.NAME), "{\"run_id\":\"stale\",\"host\":\"" + java.net.InetAddress.getLocalHost()
                .getHostName() + "\",\"pid\":" + live + ",\"started_at\":\"" + old + "\",\"heartbeat_at\":\"" + old + "\"}");
        // a killed job's leftovers: a committed task folder under _temporary holding a copy of a committed file
        Path saliency = out.resolve("attributions/method=saliency");
        Path part;
        try (Stream<Path> files = Files.list(saliency)) {
            part = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        Path planted = out.resolve("attributions/_temporary/0/task_202612010000_0001_m_000000/method=saliency");
        Files.createDirectories(planted);
        Files.copy(part, planted.resolve("part-00000-planted.c000.zstd.parquet"));

        JobTests.Run run = JobTests.run(JobTests.args(job("resume")));
        run.expectOk();
        JsonObject m = JobTests.manifest(out);
        String notes = m.getAsJsonArray("notes").toString();
        assertTrue(notes.contains("taking over the lock") && notes.contains("from run stale") && notes.contains("no heartbeat for"),
                notes);
        assertTrue(notes.contains("removed the partial output of the interrupted overwrite run"), notes);
        assertTrue(notes.contains("stale _temporary"), notes);
        assertFalse(Files.exists(out.resolve("attributions/_temporary")));
        assertFalse(Files.exists(out.resolve("_vitex_staging")));
        assertEquals(IMAGES, m.getAsJsonObject("counts").get("images_already_done").getAsLong());
        assertEquals(2L * IMAGES, rows().count(), "no duplicate");
        assertEquals(2L * IMAGES, rows().distinct().count());
    }

    @Test
    @Order(4)
    void aResumeWithOtherParamsOrAnotherInputRootIsRefusedInOneLine() throws IOException {
        List<String> steps = job("resume");
        steps.set(steps.indexOf("integrated_gradients.steps=2"), "integrated_gradients.steps=8");
        JobTests.Run r = JobTests.run(JobTests.args(steps));
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("has integrated_gradients rows with params") && r.err().contains("steps"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());

        Path other = JobTests.copySamples(tmp.resolve("other-input"));
        List<String> moved = job("resume");
        moved.set(moved.indexOf(input.toString()), other.toString());
        JobTests.Run r2 = JobTests.run(JobTests.args(moved));
        assertEquals(2, r2.status(), r2.err());
        assertTrue(r2.err().contains("input_root"), r2.err());
        assertEquals(1, r2.err().strip().lines().count(), r2.err());
    }

    @Test
    @Order(5)
    void anAllBadInputExitsOneAfterWritingEverythingAndSecretsAreRedacted() throws IOException {
        Path bad = Files.createDirectories(tmp.resolve("bad"));
        for (int i = 0; i < 6; i++) {
            Files.writeString(bad.resolve("not-an-image-" + i + ".png"), "this is text, not a PNG");
        }
        Path badOut = tmp.resolve("bad-out");
        JobTests.Run r = JobTests.run("run", "--input", bad.toString(), "--model", JobTests.shapesCard().toString(),
                "--output", badOut.toString(), "--methods", "saliency", "--master", "local[2]",
                "--conf", "spark.hadoop.fs.s3a.secret.key=TOPSECRET-42", "--conf", "spark.app.token=TOKEN-43");
        assertEquals(1, r.status(), r.out() + r.err());
        assertTrue(r.err().contains("vitex: run failed: 6 of 6 image(s) failed (100%, more than max_failed_fraction = 0.5); "
                + "most frequent error: 6×: decode"), r.err());
        JsonObject m = JobTests.manifest(badOut);
        assertEquals("failed", m.get("status").getAsString());
        assertTrue(m.get("failure").getAsString().startsWith("6 of 6 image(s) failed"), m.toString());
        assertEquals(6, JobTests.errors(badOut).filter(col("stage").equalTo("decode")).count(), "the errors are written");

        String text = Files.readString(badOut.resolve("_manifest.json"));
        assertFalse(text.contains("TOPSECRET-42") || text.contains("TOKEN-43"), text);
        assertEquals("*********(redacted)", m.getAsJsonObject("config").getAsJsonObject("spark")
                .get("spark.hadoop.fs.s3a.secret.key").getAsString());
        assertTrue(m.getAsJsonArray("command").toString().contains("spark.hadoop.fs.s3a.secret.key=*********(redacted)"),
                m.getAsJsonArray("command").toString());
    }
}
