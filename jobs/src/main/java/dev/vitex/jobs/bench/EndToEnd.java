package dev.vitex.jobs.bench;

import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.typesafe.config.ConfigUtil;
import dev.vitex.jobs.config.JobConfig;
import dev.vitex.jobs.driver.AttributionRun;
import dev.vitex.jobs.executor.ExecutorModelCache;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The job itself, in local mode in this JVM: what {@code vitex run} does, with its own Spark session
 * per run. Each task gets one libtorch intra-op thread (the job's default: spark.task.cpus), so one
 * and two task slots compare the job's parallelism and nothing else.
 */
final class EndToEnd {
    /** One run's outcome, from the run's manifest. */
    record Run(String label, int slots, long images, long explained, long failed, double explainSeconds,
               double imagesPerSecond, double totalSeconds, Path output, double firstTaskSeconds,
               double steadyImagesPerSecond) {}

    private final Path model;
    private final Path images;
    private final Path work;
    private final int batchSize;
    private final String precision;
    private final List<String> params;

    EndToEnd(Path model, Path images, Path work, int batchSize, String precision, List<String> params) {
        this.model = model;
        this.images = images;
        this.work = work;
        this.batchSize = batchSize;
        this.precision = precision;
        this.params = params;
    }

    /**
     * A folder of {@code count} distinct image files: the images under {@code source} once, then
     * copies with a little seeded noise (±2 levels per channel) — identical copies would give
     * identical attributions, which Parquet's encodings would then store for almost nothing.
     */
    static Path imageFolder(Path source, int count, Path dir) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(source)) {
            files = walk.filter(p -> p.toString().toLowerCase(Locale.ROOT).matches(".*\\.(png|jpe?g|bmp|gif)")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no images under " + source);
        }
        Files.createDirectories(dir);
        for (int i = 0; i < count; i++) {
            Path f = files.get(i % files.size());
            if (i < files.size()) {
                Files.copy(f, dir.resolve(String.format(Locale.ROOT, "%05d-%s", i, f.getFileName())));
                continue;
            }
            BufferedImage image = ImageIO.read(f.toFile());
            if (image == null) {
                throw new IOException("cannot read " + f + " to make a varied copy");
            }
            SplittableRandom rng = new SplittableRandom(i);
            BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    int rgb = image.getRGB(x, y);
                    int out = 0;
                    for (int shift = 16; shift >= 0; shift -= 8) {
                        int v = Math.min(255, Math.max(0, ((rgb >> shift) & 0xFF) + rng.nextInt(5) - 2));
                        out |= v << shift;
                    }
                    copy.setRGB(x, y, out);
                }
            }
            ImageIO.write(copy, "png", dir.resolve(String.format(Locale.ROOT, "%05d-varied.png", i)).toFile());
        }
        return dir;
    }

    /** Runs the job on {@code slots} local task slots (its log lines and per-run summary still print). */
    Run run(String label, int slots, List<String> methods, String granularity, List<String> extraParams) throws IOException {
        return run(label, slots, methods, granularity, extraParams, 0);
    }

    /** As above with {@code partitions} (0 = the job's automatic choice). */
    Run run(String label, int slots, List<String> methods, String granularity, List<String> extraParams, int partitions)
            throws IOException {
        // libtorch's intra-op pool size is per thread, taken from this value at a thread's first
        // operation: Spark's task threads (new per session) get one thread each, as in the job.
        JniUtils.setNumThreads(1);
        ExecutorModelCache.clear(); // every run loads the model, as a fresh executor would
        Path out = work.resolve(label);
        Map<String, Object> o = new LinkedHashMap<>();
        List<String> all = new ArrayList<>(params);
        all.addAll(extraParams); // later entries win
        Bench.parseParams(all).forEach((method, values) -> values.forEach((name, value) ->
                o.put("params." + ConfigUtil.joinPath(method, name), value)));
        o.put("input", images.toString());
        o.put("model", model.toString());
        o.put("output", out.toString());
        o.put("methods", String.join(",", methods));
        o.put("granularity", granularity);
        o.put("batch_size", batchSize);
        o.put("precision", precision);
        o.put("master", "local[" + slots + "]");
        o.put("djl.num_threads", 1);
        o.put("partitions", partitions);
        JobConfig config = JobConfig.resolve(o, null);
        long t0 = System.nanoTime();
        AttributionRun.Result r = new AttributionRun(config, List.of("bench", label), new PrintStream(OutputStream.nullOutputStream()))
                .execute();
        double total = (System.nanoTime() - t0) / 1e9;
        JsonObject manifest = JsonParser.parseString(Files.readString(out.resolve("_manifest.json"))).getAsJsonObject();
        String master = manifest.getAsJsonObject("spark").get("master").getAsString();
        if (!master.equals("local[" + slots + "]")) {
            // The job reuses a running session of its JVM; then the slot count would be that session's.
            throw new IllegalStateException("the job ran on " + master + ", not local[" + slots
                    + "]: stop this JVM's Spark session before the end-to-end benchmark");
        }
        JsonObject timings = manifest.getAsJsonObject("timings");
        double explainSeconds = timings.get("explain_and_write_ms").getAsDouble() / 1000;
        double firstTask = timings.has("first_task_ms") ? timings.get("first_task_ms").getAsDouble() / 1000 : Double.NaN;
        double steady = timings.has("task_span_images_per_s") ? timings.get("task_span_images_per_s").getAsDouble() : Double.NaN;
        return new Run(label, slots, r.imagesRead(), r.explained(), r.failed(), explainSeconds,
                r.imagesRead() / explainSeconds, total, out, firstTask, steady);
    }
}
