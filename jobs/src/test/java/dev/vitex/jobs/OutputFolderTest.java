package dev.vitex.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.vitex.jobs.config.ConfigException;
import dev.vitex.jobs.output.ManifestFile;
import dev.vitex.jobs.output.OutputFolder;
import dev.vitex.jobs.output.OutputLock;
import dev.vitex.jobs.output.Redaction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output folder's lock, manifest file, overwrite swap and redaction, on the real local file system. */
class OutputFolderTest {
    @TempDir
    Path tmp;

    private static FileSystem fs() throws Exception {
        return FileSystem.getLocal(new Configuration());
    }

    private static org.apache.hadoop.fs.Path hp(Path p) {
        return new org.apache.hadoop.fs.Path(p.toUri());
    }

    @Test
    void exactlyOneOfManyRacingRunsGetsTheLock() throws Exception {
        FileSystem fs = fs();
        int n = 8;
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<OutputLock>> results = new ArrayList<>();
        List<String> refusals = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < n; i++) {
            String id = "run-" + i;
            results.add(pool.submit(() -> {
                start.await();
                try {
                    return OutputLock.acquire(fs, hp(tmp), id, Duration.ofSeconds(60), w -> {});
                } catch (ConfigException e) {
                    refusals.add(e.getMessage());
                    return null;
                }
            }));
        }
        start.countDown();
        List<OutputLock> held = new ArrayList<>();
        for (Future<OutputLock> f : results) {
            OutputLock l = f.get(30, TimeUnit.SECONDS);
            if (l != null) {
                held.add(l);
            }
        }
        pool.shutdown();
        assertEquals(1, held.size(), "holders: " + held.size() + ", refusals: " + refusals);
        assertEquals(n - 1, refusals.size());
        String holder = held.get(0).holder().runId();
        for (String r : refusals) {
            assertTrue(r.contains("is in use by run " + holder) && r.contains("pid " + ProcessHandle.current().pid()), r);
            assertFalse(r.contains("\n"), r);
        }
        held.get(0).close();
        assertFalse(Files.exists(tmp.resolve(OutputLock.NAME)), "released");
        OutputLock.acquire(fs, hp(tmp), "after", Duration.ofSeconds(60), w -> {}).close();
    }

    @Test
    void heartbeatIsRefreshedAndAStaleLockIsTakenOverWithAWarning() throws Exception {
        FileSystem fs = fs();
        try (OutputLock first = OutputLock.acquire(fs, hp(tmp), "first", Duration.ofMillis(800), w -> {})) {
            Instant started = first.holder().heartbeat();
            Thread.sleep(700);
            OutputLock.Holder now = OutputLock.holderOf(fs, hp(tmp));
            assertNotNull(now);
            assertTrue(now.heartbeat().isAfter(started), "heartbeat refreshed: " + now);
        }
        // a lock of a live process (this one's parent: not ours, alive) whose heartbeat is old
        long livePid = ProcessHandle.current().parent().orElseThrow().pid();
        Instant old = Instant.now().minusSeconds(3600);
        Files.writeString(tmp.resolve(OutputLock.NAME), "{\"run_id\":\"killed\",\"host\":\"" + hostName() + "\",\"pid\":" + livePid
                + ",\"started_at\":\"" + old + "\",\"heartbeat_at\":\"" + old + "\"}");
        List<String> warnings = new ArrayList<>();
        try (OutputLock taken = OutputLock.acquire(fs, hp(tmp), "second", Duration.ofSeconds(120), warnings::add)) {
            assertEquals("second", OutputLock.holderOf(fs, hp(tmp)).runId());
        }
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).contains("from run killed") && warnings.get(0).contains("no heartbeat for 3600 s"), warnings.get(0));

        // a fresh lock of a live process is refused
        Instant fresh = Instant.now();
        Files.writeString(tmp.resolve(OutputLock.NAME), "{\"run_id\":\"alive\",\"host\":\"" + hostName() + "\",\"pid\":" + livePid
                + ",\"started_at\":\"" + fresh + "\",\"heartbeat_at\":\"" + fresh + "\"}");
        ConfigException e = assertThrows(ConfigException.class,
                () -> OutputLock.acquire(fs, hp(tmp), "third", Duration.ofSeconds(120), w -> {}));
        assertTrue(e.getMessage().contains("in use by run alive (host " + hostName() + ", pid " + livePid), e.getMessage());

        // a fresh lock of a process of this host that is gone is taken over at once
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        Files.writeString(tmp.resolve(OutputLock.NAME), "{\"run_id\":\"gone\",\"host\":\"" + hostName() + "\",\"pid\":" + p.pid()
                + ",\"started_at\":\"" + fresh + "\",\"heartbeat_at\":\"" + fresh + "\"}");
        warnings.clear();
        OutputLock.acquire(fs, hp(tmp), "fourth", Duration.ofSeconds(120), warnings::add).close();
        assertTrue(warnings.get(0).contains("its process " + p.pid() + " on this host is gone"), warnings.toString());
    }

    private static String hostName() throws Exception {
        return java.net.InetAddress.getLocalHost().getHostName();
    }

    @Test
    void manifestWritesAreWholeAndARunningManifestIsReported() throws Exception {
        FileSystem fs = fs();
        ManifestFile.write(fs, hp(tmp), "r1", "{\"run_id\":\"r1\",\"status\":\"running\",\"started_at\":\"t0\","
                + "\"counts\":{\"waves_committed\":3}}");
        JsonObject m = ManifestFile.read(fs, hp(tmp));
        assertEquals("running", ManifestFile.status(m));
        assertTrue(Files.exists(tmp.resolve("_manifests/r1.json")));
        String line = ManifestFile.interrupted(m, "OUT");
        assertEquals("the last run into OUT (run r1, started t0, 3 wave(s) committed) did not finish: its manifest still "
                + "says running (killed?); --mode resume completes it", line);
        ManifestFile.write(fs, hp(tmp), "r1", "{\"run_id\":\"r1\",\"status\":\"succeeded\"}");
        assertNull(ManifestFile.interrupted(ManifestFile.read(fs, hp(tmp)), "OUT"));
        try (var files = Files.list(tmp)) {
            assertEquals(List.of("_manifest.json", "_manifests"), files.map(f -> f.getFileName().toString()).sorted().toList(),
                    "no temporary or .crc files left");
        }
    }

    @Test
    void overwriteSwapReplacesOnlyVitexChildrenAndIsFinishedAfterAKill() throws Exception {
        FileSystem fs = fs();
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.createDirectories(out.resolve("attributions/method=saliency"));
        Files.writeString(out.resolve("attributions/method=saliency/old.parquet"), "old");
        Files.writeString(out.resolve("_manifest.json"), "{\"run_id\":\"old\",\"status\":\"succeeded\"}");
        Files.writeString(out.resolve("notes.txt"), "the user's");
        OutputFolder folder = new OutputFolder(fs, hp(out));
        assertTrue(folder.hasVitexOutput());
        assertEquals(List.of("notes.txt"), folder.foreignChildren());

        // an interrupted overwrite (staged, not committed): recover removes it, the old run stays
        Path staged = Files.createDirectories(Path.of(folder.staging("new1").toUri()).resolve("attributions"));
        Files.writeString(staged.resolve("new.parquet"), "new");
        List<String> log = new ArrayList<>();
        folder.recover(log::add);
        assertTrue(log.get(0).contains("removed the partial output of the interrupted overwrite run new1"), log.toString());
        assertEquals("old", Files.readString(out.resolve("attributions/method=saliency/old.parquet")));
        assertFalse(Files.exists(out.resolve(OutputFolder.STAGING)));

        // a committed overwrite killed after deleting the old run: recover finishes it
        Path s2 = Path.of(folder.staging("new2").toUri());
        Files.createDirectories(s2.resolve("attributions/method=occlusion"));
        Files.writeString(s2.resolve("attributions/method=occlusion/new.parquet"), "new");
        Files.writeString(s2.resolve("_manifest.json"), "{\"run_id\":\"new2\",\"status\":\"succeeded\"}");
        Files.writeString(s2.resolve("_COMMITTED"), "x");
        Files.writeString(s2.resolve("_OLD_DELETED"), "x");
        Files.delete(out.resolve("attributions/method=saliency/old.parquet"));
        Files.delete(out.resolve("attributions/method=saliency"));
        Files.delete(out.resolve("attributions"));
        log.clear();
        folder.recover(log::add);
        assertTrue(log.get(0).contains("finished the overwrite of run new2"), log.toString());
        assertEquals("new", Files.readString(out.resolve("attributions/method=occlusion/new.parquet")));
        assertEquals("new2", ManifestFile.read(fs, hp(out)).get("run_id").getAsString());
        assertEquals("the user's", Files.readString(out.resolve("notes.txt")));

        // a full swap
        Path s3 = Path.of(folder.staging("new3").toUri());
        Files.createDirectories(s3.resolve("errors"));
        Files.writeString(s3.resolve("errors/e.parquet"), "e");
        Files.writeString(s3.resolve("_manifest.json"), "{\"run_id\":\"new3\",\"status\":\"succeeded\"}");
        folder.swapIn("new3");
        assertFalse(Files.exists(out.resolve("attributions")), "the previous run's table is gone");
        assertEquals("e", Files.readString(out.resolve("errors/e.parquet")));
        assertEquals("new3", ManifestFile.read(fs, hp(out)).get("run_id").getAsString());
        assertEquals("the user's", Files.readString(out.resolve("notes.txt")));
        assertFalse(Files.exists(out.resolve(OutputFolder.STAGING)));

        // an errors/ folder alone does not make a folder vitex's
        Path other = Files.createDirectories(tmp.resolve("other/errors"));
        assertFalse(new OutputFolder(fs, hp(other.getParent())).hasVitexOutput());
    }

    @Test
    void redactionFollowsSparkUtilsRedact() {
        Redaction r = new Redaction(Redaction.DEFAULT_REGEX);
        JsonObject config = JsonParser.parseString("{\"input\":\"in\",\"spark\":{\"spark.hadoop.fs.s3a.secret.key\":\"AKIA-s3cr3t\","
                + "\"spark.hadoop.fs.s3a.access.key\":\"AKIA123\",\"spark.app\":\"x\",\"spark.x\":\"my password is y\"},"
                + "\"batch_size\":64}").getAsJsonObject();
        JsonObject red = r.json(config).getAsJsonObject();
        JsonObject spark = red.getAsJsonObject("spark");
        assertEquals("*********(redacted)", spark.get("spark.hadoop.fs.s3a.secret.key").getAsString());
        assertEquals("*********(redacted)", spark.get("spark.hadoop.fs.s3a.access.key").getAsString());
        assertEquals("*********(redacted)", spark.get("spark.x").getAsString(), "a matching value is redacted too");
        assertEquals("x", spark.get("spark.app").getAsString());
        assertEquals("in", red.get("input").getAsString());
        assertEquals(64, red.get("batch_size").getAsInt());
        assertEquals(List.of("run", "--conf", "spark.hadoop.fs.s3a.secret.key=*********(redacted)", "--set", "batch_size=8",
                        "--api-token", "*********(redacted)", "--input", "data"),
                r.command(List.of("run", "--conf", "spark.hadoop.fs.s3a.secret.key=AKIA-s3cr3t", "--set", "batch_size=8",
                        "--api-token", "abc", "--input", "data")));
        Redaction custom = Redaction.of(java.util.Map.of("spark.redaction.regex", "(?i)batch"));
        assertEquals("batch_size=*********(redacted)", custom.command(List.of("batch_size=8")).get(0));
    }
}
