package dev.vitex.jobs.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.vitex.core.method.GradientExplainer;
import dev.vitex.core.method.Methods;
import dev.vitex.core.method.Occlusion;
import dev.vitex.core.model.ModelCard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The end-to-end part of the benchmark: the job in local mode with 1 and 2 task slots (scaling),
 * one long run with the process's RSS sampled throughout, and the Parquet bytes of every method's
 * rows at PATCH and PIXEL granularity.
 */
final class JobBench {
    /** What to run; image counts of 0 skip that part. */
    record Plan(Path model, Path input, int batchSize, String precision, List<String> params, List<String> scalingMethods,
                int scalingImages, int longImages, List<String> bytesMethods, int bytesImages,
                Map<String, Double> efficiencyCore, double efficiencySeconds, JobEfficiency.CoreOnSlots coreOnSlots) {}

    private final Plan plan;
    private final ModelCard card;

    JobBench(Plan plan, ModelCard card) {
        this.plan = plan;
        this.card = card;
    }

    JsonObject run() throws IOException {
        JsonObject out = new JsonObject();
        Path work = Files.createTempDirectory("vitex-bench-");
        try (RssSampler rss = new RssSampler(250)) {
            JsonObject endToEnd = plan.scalingImages() > 0 ? scaling(work) : new JsonObject();
            if (plan.efficiencySeconds() > 0 && !plan.efficiencyCore().isEmpty()) {
                endToEnd.add("methods", JobEfficiency.measure(plan.efficiencyCore(), plan.efficiencySeconds(),
                        (name, images) -> job(work, name, images), plan.coreOnSlots()));
            }
            if (endToEnd.size() > 0) {
                out.add("end_to_end", endToEnd);
            }
            if (plan.longImages() > 0) {
                out.add("memory", longRun(work, rss));
            }
            if (plan.bytesImages() > 0) {
                out.add("parquet", bytes(work));
            }
        } finally {
            deleteTree(work);
        }
        return out;
    }

    private JsonObject scaling(Path work) throws IOException {
        EndToEnd job = job(work, "scaling-images", plan.scalingImages());
        System.out.printf(Locale.ROOT, "%nend to end (local mode, 1 libtorch thread per task): %d images, methods %s%n",
                plan.scalingImages(), String.join(",", plan.scalingMethods()));
        // An untimed run first: the JVM's and Spark's first-use costs (class loading, JIT) fell on
        // whichever slot count ran first (measured: 18 s against 13 s for the same 96 images).
        EndToEnd.Run warm = job(work, "warm-up-images", 8).run("warm-up", 2, plan.scalingMethods(), "patch", List.of());
        System.out.printf(Locale.ROOT, "  warm-up run (not counted): %d images in %.1f s%n", warm.images(), warm.totalSeconds());
        // 1, 2, 2, 1: the machine's drift hits both slot counts alike; the scaling is total over total.
        List<EndToEnd.Run> runs = new ArrayList<>();
        for (int slots : new int[] {1, 2, 2, 1}) {
            EndToEnd.Run r = job.run("slots" + slots + "-" + runs.size(), slots, plan.scalingMethods(), "patch", List.of());
            runs.add(r);
            System.out.printf(Locale.ROOT, "  %d task slot(s): %d images in %.1f s explain-and-write (%.2f images/s), %.1f s with Spark start, %d failed%n",
                    slots, r.images(), r.explainSeconds(), r.imagesPerSecond(), r.totalSeconds(), r.failed());
        }
        double[] rate = new double[3];
        JsonObject o = new JsonObject();
        for (int slots = 1; slots <= 2; slots++) {
            long images = 0;
            double seconds = 0;
            JsonArray each = new JsonArray();
            for (EndToEnd.Run r : runs) {
                if (r.slots() == slots) {
                    images += r.images();
                    seconds += r.explainSeconds();
                    each.add(r.imagesPerSecond());
                }
            }
            rate[slots] = images / seconds;
            JsonObject s = new JsonObject();
            s.addProperty("images_per_s", rate[slots]);
            s.add("images_per_s_each_run", each);
            o.add("slots_" + slots, s);
        }
        o.addProperty("scaling_1_to_2_slots", rate[2] / rate[1]);
        o.addProperty("images", plan.scalingImages());
        o.addProperty("methods", String.join(",", plan.scalingMethods()));
        System.out.printf(Locale.ROOT, "  scaling 1 → 2 task slots: %.2f images/s → %.2f images/s = %.2f×%n",
                rate[1], rate[2], rate[2] / rate[1]);
        return o;
    }

    private JsonObject longRun(Path work, RssSampler rss) throws IOException {
        EndToEnd job = job(work, "long-images", plan.longImages());
        System.out.printf(Locale.ROOT, "%nlong run: %d images, 2 task slots, methods %s; RSS of this process sampled every 250 ms%n",
                plan.longImages(), String.join(",", plan.scalingMethods()));
        long t0 = System.nanoTime();
        EndToEnd.Run r = job.run("long", 2, plan.scalingMethods(), "patch", List.of());
        long t1 = System.nanoTime();
        double[] quarters = rss.peaksMb(t0, t1, 4, false);
        double[] outside = rss.peaksMb(t0, t1, 4, true);
        double peak = rss.peakMb(t0, t1);
        long maxHeapMb = Runtime.getRuntime().maxMemory() >> 20;
        System.out.printf(Locale.ROOT, "  %d images in %.1f s (%.2f images/s); JVM heap limit %d MB%n", r.images(), r.explainSeconds(),
                r.imagesPerSecond(), maxHeapMb);
        System.out.printf(Locale.ROOT, "  peak RSS %.0f MB; per quarter of the run %.0f / %.0f / %.0f / %.0f MB%n",
                peak, quarters[0], quarters[1], quarters[2], quarters[3]);
        System.out.printf(Locale.ROOT, "  RSS outside the JVM heap (libtorch, direct buffers, metaspace, stacks), peak per quarter %.0f / %.0f / %.0f / %.0f MB%n",
                outside[0], outside[1], outside[2], outside[3]);
        JsonObject o = new JsonObject();
        o.addProperty("images", r.images());
        o.addProperty("images_per_s", r.imagesPerSecond());
        o.addProperty("peak_rss_mb", peak);
        JsonArray q = new JsonArray();
        for (double v : quarters) {
            q.add(v);
        }
        o.add("peak_rss_mb_per_quarter", q);
        o.addProperty("rss_growth_after_first_quarter_mb", Math.max(quarters[2], quarters[3]) - quarters[1]);
        JsonArray n = new JsonArray();
        for (double v : outside) {
            n.add(v);
        }
        o.add("peak_rss_outside_heap_mb_per_quarter", n);
        o.addProperty("rss_outside_heap_growth_after_first_quarter_mb", Math.max(outside[2], outside[3]) - outside[1]);
        o.addProperty("jvm_max_heap_mb", maxHeapMb);
        return o;
    }

    private JsonObject bytes(Path work) throws IOException {
        EndToEnd job = job(work, "bytes-images", plan.bytesImages());
        JsonObject o = new JsonObject();
        System.out.printf(Locale.ROOT, "%nParquet bytes per image per method (%d images, wide layout, Spark's default snappy): "
                + "data = column chunks, file = with footers%n", plan.bytesImages());
        List<String> cheap = cheapSampling(plan.bytesMethods());
        if (!cheap.isEmpty()) {
            System.out.printf(Locale.ROOT, "  (sample counts lowered for this part only, they change no column but params: %s)%n",
                    String.join(" ", cheap));
        }
        System.out.printf(Locale.ROOT, "  (2 partitions: one file per task and method, as the few large files of a long run;%n"
                + "  the footers and each row group's dictionaries and page headers are spread over the rows of a file)%n");
        System.out.printf(Locale.ROOT, "  %-11s %-22s %7s %9s %12s %12s %12s %9s  %s%n", "granularity", "method", "units", "rows/file",
                "raw scores B", "data B/img", "file B/img", "data/raw", "largest columns (B/img)");
        for (String granularity : List.of("patch", "pixel")) {
            List<String> methods = granularity.equals("patch") ? plan.bytesMethods() : pixelMethods(plan.bytesMethods());
            if (methods.isEmpty()) {
                continue;
            }
            EndToEnd.Run r = job.run("bytes-" + granularity, 2, methods, granularity, cheapSampling(methods), 2);
            JsonObject g = new JsonObject();
            for (Map.Entry<String, ParquetBytes> e : ParquetBytes.perMethod(r.output()).entrySet()) {
                ParquetBytes b = e.getValue();
                long units = b.scoreValues() / b.rows();
                double raw = 4.0 * units;
                double dataPerRow = (double) b.dataBytes() / b.rows();
                double filePerRow = (double) b.fileBytes() / b.rows();
                StringBuilder largest = new StringBuilder();
                b.columnBytes().entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(3)
                        .forEach(c -> largest.append(String.format(Locale.ROOT, "%s %.0f  ", c.getKey(), (double) c.getValue() / b.rows())));
                System.out.printf(Locale.ROOT, "  %-11s %-22s %7d %9.0f %12.0f %12.1f %12.1f %9.3f  %s%n", granularity, e.getKey(), units,
                        (double) b.rows() / b.files(), raw,
                        dataPerRow, filePerRow, dataPerRow / raw, largest.toString().trim());
                JsonObject m = new JsonObject();
                m.addProperty("rows", b.rows());
                m.addProperty("files", b.files());
                m.addProperty("units", units);
                m.addProperty("raw_float32_score_bytes", raw);
                m.addProperty("data_bytes_per_image", dataPerRow);
                m.addProperty("file_bytes_per_image", filePerRow);
                m.addProperty("data_to_raw", dataPerRow / raw);
                JsonObject cols = new JsonObject();
                b.columnBytes().forEach((k, v) -> cols.addProperty(k, (double) v / b.rows()));
                m.add("column_bytes_per_image", cols);
                g.add(e.getKey(), m);
            }
            o.add(granularity, g);
        }
        return o;
    }

    /**
     * Small sample counts for the sampling mask methods the user gave no parameters for: the rows
     * have the same columns and sizes whatever the count, and the defaults would make this part of
     * the benchmark take ten times longer than all the others.
     */
    private List<String> cheapSampling(List<String> methods) {
        int units = (card.inputHeight() / card.patchSize()) * (card.inputWidth() / card.patchSize());
        Map<String, String> cheap = Map.of("lime", "lime.n=" + 2 * units, "kernel_shap", "kernel_shap.n=" + 2 * units,
                "sobol", "sobol.designs=2");
        List<String> out = new ArrayList<>();
        for (String m : methods) {
            boolean given = plan.params().stream().anyMatch(p -> p.startsWith(m + "."));
            if (cheap.containsKey(m) && !given) {
                out.add(cheap.get(m));
            }
        }
        return out;
    }

    /** Methods that make honest pixel maps at their defaults: the gradient methods and occlusion (sliding windows). */
    private List<String> pixelMethods(List<String> methods) {
        return methods.stream().filter(m -> m.equals(Occlusion.NAME)
                || Methods.create(m, Map.of(), card) instanceof GradientExplainer).toList();
    }

    private EndToEnd job(Path work, String name, int images) throws IOException {
        Path folder = work.resolve(name);
        if (!Files.isDirectory(folder)) {
            EndToEnd.imageFolder(plan.input(), images, folder);
        }
        return new EndToEnd(plan.model(), folder, work, plan.batchSize(), plan.precision(), plan.params());
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
