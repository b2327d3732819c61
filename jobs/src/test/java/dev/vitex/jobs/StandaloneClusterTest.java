package dev.vitex.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.vitex.jobs.AttributionJob;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real standalone cluster on 127.0.0.1: a Master and a Worker JVM started from the project's own
 * class path (a temporary SPARK_HOME whose jars/ links to it), two executors of one core each, and
 * the job submitted through {@code org.apache.spark.deploy.SparkSubmit} as a user would. The worker
 * advertises two GPUs through a fake discovery script; each executor gets one, sees that libtorch
 * has no GPU, and runs on the CPU. Results must equal local mode's. Every process is stopped by PID.
 */
class StandaloneClusterTest {
    private static final long START_TIMEOUT_S = 90;
    private static final long JOB_TIMEOUT_S = 300;

    @TempDir
    static Path tmp;
    static Path sparkHome;
    static Path appJar;
    static Path logs;
    static String masterUrl;
    static Process worker;
    static final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        logs = Files.createDirectories(tmp.resolve("logs"));
        buildSparkHome();
        Path discovery = tmp.resolve("gpu-discovery.sh");
        try (var in = StandaloneClusterTest.class.getResourceAsStream("/fake-gpu-discovery.sh")) {
            Files.copy(in, discovery);
        }
        Files.setPosixFilePermissions(discovery, PosixFilePermissions.fromString("rwxr-xr-x"));

        int masterPort = freePort();
        masterUrl = "spark://127.0.0.1:" + masterPort;
        Process master = start("master", List.of("-Xmx512m"), "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(freePort()));
        waitForLog("master", "I have been elected leader", master);
        worker = start("worker", List.of("-Xmx512m",
                        "-Dspark.worker.resource.gpu.amount=2",
                        "-Dspark.worker.resource.gpu.discoveryScript=" + discovery),
                "org.apache.spark.deploy.worker.Worker", masterUrl, "--host", "127.0.0.1", "--cores", "2", "--memory", "4g",
                "--webui-port", Integer.toString(freePort()), "--work-dir", Files.createDirectories(tmp.resolve("work")).toString());
        waitForLog("worker", "Successfully registered with master", worker);
    }

    @AfterAll
    static void stopCluster() {
        // Executors are the worker's children; stop every process of ours, by PID, youngest first.
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(20, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SPARK_HOME/jars links to every jar of the job's class path; the project's classes go into one app jar. */
    static void buildSparkHome() throws IOException {
        String file = System.getProperty("vitex.classpath.file");
        assertTrue(file != null && Files.isRegularFile(Path.of(file)), "no class path file (built by Maven): " + file);
        sparkHome = Files.createDirectories(tmp.resolve("spark-home"));
        Path jars = Files.createDirectories(sparkHome.resolve("jars"));
        List<Path> classDirs = new ArrayList<>();
        for (String entry : Files.readString(Path.of(file)).trim().split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                classDirs.add(p);
            } else if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                Path link = jars.resolve(p.getFileName());
                if (!Files.exists(link)) {
                    Files.createSymbolicLink(link, p);
                }
            }
        }
        classDirs.add(Path.of("target/classes").toAbsolutePath());
        if (classDirs.stream().noneMatch(d -> Files.exists(d.resolve("dev/vitex/core")))) {
            classDirs.add(JobTests.root().resolve("core/target/classes"));
        }
        appJar = tmp.resolve("vitex-app.jar");
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        Set<String> seen = new HashSet<>();
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(appJar), mf)) {
            for (Path dir : classDirs) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        String name = dir.relativize(f).toString().replace('\\', '/');
                        if (seen.add(name)) {
                            jar.putNextEntry(new JarEntry(name));
                            Files.copy(f, jar);
                            jar.closeEntry();
                        }
                    }
                }
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static Process start(String name, List<String> jvm, String main, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvm);
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(Arrays.stream(System.getProperty("vitex.jvm.flags", "").trim().split("\\s+")).filter(s -> !s.isBlank()).toList());
        cmd.add("-Dlog4j2.configurationFile=" + Path.of("src/test/resources/log4j2-cluster.properties").toAbsolutePath());
        cmd.addAll(List.of("-cp", sparkHome.resolve("jars") + "/*", main));
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logs.resolve(name + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.put("SPARK_HOME", sparkHome.toString());
        env.put("SPARK_SCALA_VERSION", "2.13");
        env.put("SPARK_LOCAL_IP", "127.0.0.1");
        env.put("SPARK_LOG_DIR", logs.toString());
        env.put("OMP_NUM_THREADS", "1");
        env.remove("SPARK_CONF_DIR");
        Process p = pb.start();
        processes.add(p);
        return p;
    }

    static void waitForLog(String name, String text, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_S);
        Path log = logs.resolve(name + ".log");
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log).contains(text)) {
                return;
            }
            if (!p.isAlive()) {
                fail(name + " exited with " + p.exitValue() + ":\n" + tail(log));
            }
            Thread.sleep(250);
        }
        fail(name + " did not log \"" + text + "\" within " + START_TIMEOUT_S + " s:\n" + tail(log));
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void submittedJobMatchesLocalModeAndEachExecutorGetsItsOwnGpu() throws Exception {
        Path input = JobTests.copySamples(Files.createDirectories(tmp.resolve("in")));
        List<String> job = List.of("run", "--input", input.toString(), "--model", JobTests.shapesCard().toString(),
                "--methods", "saliency,integrated_gradients,occlusion", "--param", "integrated_gradients.steps=8",
                "--targets", "top:2", "--partitions", "6", "--set", "images_per_batch=2");
        Path clusterOut = tmp.resolve("out-cluster");
        Path localOut = tmp.resolve("out-local");

        List<String> submit = submitArgs(List.of("spark.executor.cores=1", "spark.cores.max=2", "spark.executor.memory=1g",
                "spark.executor.resource.gpu.amount=1", "spark.task.resource.gpu.amount=1"), job);
        submit.addAll(List.of("--output", clusterOut.toString()));
        long t0 = System.nanoTime();
        Process driver = start("submit", List.of("-Xmx1g", "-Dai.djl.offline=true"), "org.apache.spark.deploy.SparkSubmit",
                submit.toArray(String[]::new));
        if (!driver.waitFor(JOB_TIMEOUT_S, TimeUnit.SECONDS)) {
            fail("spark-submit did not finish within " + JOB_TIMEOUT_S + " s:\n" + tail(logs.resolve("submit.log")));
        }
        assertEquals(0, driver.exitValue(), "spark-submit failed:\n" + tail(logs.resolve("submit.log")) + executorLogs());
        System.out.printf("standalone cluster run: %.1f s%n", (System.nanoTime() - t0) / 1e9);

        List<String> local = new ArrayList<>(job);
        local.addAll(List.of("--output", localOut.toString()));
        JobTests.run(local.toArray(String[]::new)).expectOk();

        // identical results
        Map<String, float[]> cluster = scores(clusterOut);
        Map<String, float[]> localScores = scores(localOut);
        assertEquals(localScores.keySet(), cluster.keySet());
        float worst = 0;
        for (String k : localScores.keySet()) {
            worst = Math.max(worst, JobTests.maxAbsDiff(localScores.get(k), cluster.get(k)));
        }
        System.out.printf("cluster vs local: %d rows, max |Δ| = %.3g%n", cluster.size(), worst);
        assertTrue(worst <= 1e-6, "max |Δ| = " + worst);

        // two executors, each with its own GPU address, each on the CPU because libtorch sees no GPU
        JsonObject m = JobTests.manifest(clusterOut);
        assertTrue(m.getAsJsonObject("spark").get("master").getAsString().startsWith("spark://127.0.0.1:"));
        JsonArray executors = m.getAsJsonArray("executors");
        Map<String, String> gpuByExecutor = new TreeMap<>();
        for (JsonElement e : executors) {
            JsonObject o = e.getAsJsonObject();
            assertNotEquals("driver", o.get("executor_id").getAsString());
            assertEquals("cpu()", o.get("device").getAsString(), o.toString());
            assertTrue(o.get("device_note").getAsString().contains("engine sees no GPU"), o.toString());
            gpuByExecutor.put(o.get("executor_id").getAsString(), o.get("gpu_address").getAsString());
        }
        System.out.println("executors → GPU addresses: " + gpuByExecutor);
        assertEquals(2, gpuByExecutor.size(), "both executors ran tasks: " + executors);
        assertEquals(Set.of("0", "1"), new HashSet<>(gpuByExecutor.values()), "each executor saw a different GPU");
        assertEquals(m.getAsJsonObject("counts").get("images_read").getAsLong(),
                JobTests.manifest(localOut).getAsJsonObject("counts").get("images_read").getAsLong());
    }

    /**
     * Issue #16 item 4: one executor with one GPU and two task slots, each task asking for half a GPU,
     * so two tasks run at once on the same address. Both share the executor's model; the manifest
     * says which address the tasks got and that libtorch (CPU build) fell back to the CPU, where
     * model batches are not limited (the limit on a real GPU is BatchGateTest's).
     */
    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void twoTasksShareOneGpuAddress() throws Exception {
        Path input = JobTests.copySamples(Files.createDirectories(tmp.resolve("in-shared")));
        Path out = tmp.resolve("out-shared");
        List<String> submit = submitArgs(List.of("spark.executor.cores=2", "spark.cores.max=2", "spark.task.cpus=1",
                "spark.executor.memory=1g", "spark.executor.resource.gpu.amount=1", "spark.task.resource.gpu.amount=0.5"), List.of(
                "run", "--input", input.toString(), "--model", JobTests.shapesCard().toString(), "--methods", "saliency",
                "--partitions", "4", "--set", "images_per_batch=2", "--set", "gpu.concurrent_batches=1",
                "--output", out.toString()));
        Process driver = start("submit-shared", List.of("-Xmx1g", "-Dai.djl.offline=true"), "org.apache.spark.deploy.SparkSubmit",
                submit.toArray(String[]::new));
        if (!driver.waitFor(JOB_TIMEOUT_S, TimeUnit.SECONDS)) {
            fail("spark-submit did not finish within " + JOB_TIMEOUT_S + " s:\n" + tail(logs.resolve("submit-shared.log")));
        }
        assertEquals(0, driver.exitValue(), "spark-submit failed:\n" + tail(logs.resolve("submit-shared.log")) + executorLogs());

        JsonObject m = JobTests.manifest(out);
        JsonArray executors = m.getAsJsonArray("executors");
        System.out.println("shared GPU, manifest executors: " + executors);
        Set<String> addresses = new HashSet<>();
        Set<String> executorIds = new HashSet<>();
        for (JsonElement e : executors) {
            JsonObject o = e.getAsJsonObject();
            executorIds.add(o.get("executor_id").getAsString());
            addresses.add(o.get("gpu_address").getAsString());
            assertEquals("cpu()", o.get("device").getAsString(), o.toString());
            String note = o.get("device_note").getAsString();
            assertTrue(note.contains("Spark assigned GPU " + o.get("gpu_address").getAsString())
                    && note.contains("engine sees no GPU"), note);
            assertTrue(note.contains("model batches on cpu(): unlimited"), note);
        }
        assertEquals(1, executorIds.size(), "one executor with two task slots: " + executors);
        assertEquals(1, addresses.size(), "every task of the executor got the same GPU address: " + executors);
        assertTrue(Set.of("0", "1").containsAll(addresses), addresses.toString());
        assertEquals(JobTests.sampleImages(input).size(), JobTests.attributions(out).select("image_id").distinct().count());
    }

    @Test
    @Timeout(value = 8, unit = TimeUnit.MINUTES)
    void anExecutorKilledMidRunLosesNoImageAndDuplicatesNone() throws Exception {
        int copies = 4;
        Path input = tmp.resolve("in-kill");
        for (int i = 0; i < copies; i++) {
            JobTests.copySamples(Files.createDirectories(input.resolve("copy" + i)));
        }
        Path out = tmp.resolve("out-executor-killed");
        List<String> submit = submitArgs(List.of("spark.executor.cores=1", "spark.cores.max=2", "spark.executor.memory=1g"),
                List.of("run", "--input", input.toString(), "--model", JobTests.shapesCard().toString(), "--output", out.toString(),
                "--methods", "saliency,occlusion", "--partitions", "8", "--set", "wave_partitions=2", "--set", "images_per_batch=4"));
        Process driver = start("submit-kill", List.of("-Xmx1g", "-Dai.djl.offline=true"), "org.apache.spark.deploy.SparkSubmit",
                submit.toArray(String[]::new));
        // mid-run: a wave committed, more to come; then kill -9 one executor JVM (a child of the worker)
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(JOB_TIMEOUT_S);
        ProcessHandle victim = null;
        while (victim == null && System.nanoTime() < deadline && driver.isAlive()) {
            JsonObject m = manifestOrNull(out);
            if (m != null && m.has("counts") && m.getAsJsonObject("counts").has("waves_committed")) {
                victim = worker.descendants()
                        .filter(h -> h.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
                        .findFirst().orElse(null);
            }
            Thread.sleep(50);
        }
        assertTrue(victim != null, "no executor to kill mid-run:\n" + tail(logs.resolve("submit-kill.log")));
        long killedPid = victim.pid();
        victim.destroyForcibly(); // SIGKILL
        System.out.println("killed executor JVM " + killedPid + " mid-run");
        if (!driver.waitFor(JOB_TIMEOUT_S, TimeUnit.SECONDS)) {
            fail("spark-submit did not finish within " + JOB_TIMEOUT_S + " s:\n" + tail(logs.resolve("submit-kill.log")));
        }
        assertEquals(0, driver.exitValue(), "spark-submit failed:\n" + tail(logs.resolve("submit-kill.log")) + executorLogs());
        assertFalse(ProcessHandle.of(killedPid).map(ProcessHandle::isAlive).orElse(false), "the executor was killed");

        int images = copies * 24;
        var rows = JobTests.attributions(out).select("image_id", "method", "target");
        assertEquals(2L * images, rows.count(), "every image × method once");
        assertEquals(2L * images, rows.distinct().count(), "no duplicate");
        assertEquals(images, rows.select("image_id").distinct().count());
        assertEquals("succeeded", JobTests.manifest(out).get("status").getAsString());
    }

    /**
     * spark-submit's arguments for the vitex job jar on the test cluster: {@code conf} (KEY=VALUE), the
     * settings every test shares (wait for the executors, loopback driver, no UI, quiet offline executors),
     * then the job's own arguments.
     */
    private static List<String> submitArgs(List<String> conf, List<String> job) {
        List<String> args = new ArrayList<>(List.of("--master", masterUrl, "--class", AttributionJob.class.getName()));
        List<String> all = new ArrayList<>(conf);
        all.addAll(List.of("spark.scheduler.minRegisteredResourcesRatio=1.0", "spark.scheduler.maxRegisteredResourcesWaitingTime=120s",
                "spark.driver.host=127.0.0.1", "spark.ui.enabled=false",
                "spark.executor.extraJavaOptions=-XX:TieredStopAtLevel=1 -Dai.djl.offline=true -Dai.djl.pytorch.num_interop_threads=1 "
                        + "-Dlog4j2.configurationFile=" + Path.of("src/test/resources/log4j2-cluster.properties").toAbsolutePath()));
        for (String c : all) {
            args.addAll(List.of("--conf", c));
        }
        args.addAll(List.of("--driver-memory", "1g", appJar.toString()));
        args.addAll(job);
        return args;
    }

    private static JsonObject manifestOrNull(Path out) {
        try {
            return com.google.gson.JsonParser.parseString(Files.readString(out.resolve("_manifest.json"))).getAsJsonObject();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static Map<String, float[]> scores(Path out) {
        Map<String, float[]> m = new TreeMap<>();
        for (Row r : JobTests.attributions(out).select("image_id", "method", "target", "scores").collectAsList()) {
            m.put(r.getString(0) + "|" + r.getString(1) + "|" + r.getInt(2), JobTests.floats(r.getList(3)));
        }
        return m;
    }

    private static String executorLogs() {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> files = Files.walk(tmp.resolve("work"))) {
            for (Path f : files.filter(p -> p.getFileName().toString().equals("stderr")).toList()) {
                b.append("\n--- ").append(f).append('\n').append(tail(f));
            }
        } catch (IOException e) {
            b.append(e);
        }
        return b.toString();
    }
}
