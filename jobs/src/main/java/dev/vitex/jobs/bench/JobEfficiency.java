package dev.vitex.jobs.bench;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The job's end-to-end efficiency per method: the job alone on one method with 2 task slots, its
 * steady-state images/s (first task start to last task end, from the manifest's {@code timings})
 * over the core's images/s for the method ({@link MethodThroughput}, the same model, batch size and
 * cores). Start-up before the first task is reported beside it, not mixed in. Each method gets about
 * {@code seconds} of steady-state work at the core's rate, so cheap and expensive methods both run
 * long enough to leave the first wave's start-up behind.
 */
final class JobEfficiency {
    static final int SLOTS = 2;
    static final int MIN_IMAGES = 64;
    static final int MAX_IMAGES = 20_000;

    private JobEfficiency() {}

    /** Images for about {@code seconds} at {@code coreImagesPerSecond}, within [{@value #MIN_IMAGES}, {@value #MAX_IMAGES}]. */
    static int images(double coreImagesPerSecond, double seconds) {
        return (int) Math.max(MIN_IMAGES, Math.min(MAX_IMAGES, Math.round(coreImagesPerSecond * seconds)));
    }

    /** {@code end_to_end.methods}: one entry per method of {@code core} (method → the core's images/s). */
    static JsonObject measure(Map<String, Double> core, double seconds, JobRuns runs) throws IOException {
        System.out.printf(Locale.ROOT, "%nend-to-end efficiency (local mode, %d task slots, 1 libtorch thread each, one method per run): "
                + "steady state = first task start → last task end%n", SLOTS);
        System.out.printf(Locale.ROOT, "  %-22s %7s %12s %12s %10s %12s %10s%n", "method", "images", "core img/s", "job img/s",
                "efficiency", "start-up s", "overall/s");
        JsonObject out = new JsonObject();
        for (Map.Entry<String, Double> m : core.entrySet()) {
            int images = images(m.getValue(), seconds);
            EndToEnd.Run r = runs.job("efficiency-" + images + "-images", images)
                    .run("efficiency-" + m.getKey(), SLOTS, List.of(m.getKey()), "patch", List.of());
            double efficiency = r.steadyImagesPerSecond() / m.getValue();
            System.out.printf(Locale.ROOT, "  %-22s %7d %12.2f %12.2f %10.3f %12.1f %10.2f%n", m.getKey(), r.images(), m.getValue(),
                    r.steadyImagesPerSecond(), efficiency, r.firstTaskSeconds(), r.images() / r.totalSeconds());
            JsonObject o = new JsonObject();
            o.addProperty("images", r.images());
            o.addProperty("slots", SLOTS);
            o.addProperty("core_images_per_s", m.getValue());
            o.addProperty("images_per_s", r.steadyImagesPerSecond());
            o.addProperty("efficiency", efficiency);
            o.addProperty("startup_s", r.firstTaskSeconds());
            o.addProperty("total_s", r.totalSeconds());
            o.addProperty("overall_images_per_s", r.images() / r.totalSeconds());
            o.addProperty("failed", r.failed());
            out.add(m.getKey(), o);
        }
        return out;
    }

    /** A job on a folder of {@code images} images (made once per count). */
    @FunctionalInterface
    interface JobRuns {
        EndToEnd job(String folder, int images) throws IOException;
    }
}
