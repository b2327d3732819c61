package dev.vitex.jobs.bench;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The job's end-to-end efficiency per method: the job alone on one method with 2 task slots, its
 * steady-state images/s (first task start to last task end, from the manifest's {@code timings})
 * over the core's images/s for the method on the same cores (part 2's rate: one batch on the engine's
 * intra-op threads; issue 16's definition). Beside it, {@code efficiency_slots}: over the core's rate
 * laid out like the job ({@link SlotRate}: 2 threads of one libtorch thread each, the model work
 * alone), measured right before and right after the job run, which shows the machine's drift during
 * the run. Start-up before the first task is reported beside them, not mixed in. Each method gets about
 * {@code seconds} of steady-state work at the core's rate, so cheap and expensive methods both run
 * long enough to leave the first wave's start-up behind.
 */
final class JobEfficiency {
    static final int SLOTS = 2;
    static final int MIN_IMAGES = 64;
    static final int MAX_IMAGES = 20_000;
    /** Longest core measurement on the slots (before and after a job run): a quarter of the job's work, at most this. */
    static final double SLOT_SECONDS = 5;

    private JobEfficiency() {}

    /** Images for about {@code seconds} at {@code coreImagesPerSecond}, within [{@value #MIN_IMAGES}, {@value #MAX_IMAGES}]. */
    static int images(double coreImagesPerSecond, double seconds) {
        return (int) Math.max(MIN_IMAGES, Math.min(MAX_IMAGES, Math.round(coreImagesPerSecond * seconds)));
    }

    /**
     * {@code end_to_end.methods}: one entry per method of {@code core} (method → part 2's images/s);
     * {@code slots} measures the core's images/s on the job's slots.
     */
    static JsonObject measure(Map<String, Double> core, double seconds, JobRuns runs, CoreOnSlots slots) throws IOException {
        System.out.printf(Locale.ROOT, "%nend-to-end efficiency (local mode, %d task slots, 1 libtorch thread each, one method per run): "
                + "steady state = first task start → last task end; on slots = against the model work alone on the same "
                + "2×1-thread slots, measured before/after the run%n", SLOTS);
        System.out.printf(Locale.ROOT, "  %-22s %7s %11s %12s %10s %19s %10s %12s %10s%n", "method", "images", "core img/s",
                "job img/s", "efficiency", "slots img/s b/a", "on slots", "start-up s", "overall/s");
        double slotSeconds = Math.min(SLOT_SECONDS, seconds / 4);
        JsonObject out = new JsonObject();
        for (Map.Entry<String, Double> m : core.entrySet()) {
            int images = images(m.getValue(), seconds);
            double before = slots.imagesPerSecond(m.getKey(), SLOTS, slotSeconds);
            EndToEnd.Run r = runs.job("efficiency-" + images + "-images", images)
                    .run("efficiency-" + m.getKey(), SLOTS, List.of(m.getKey()), "patch", List.of());
            double after = slots.imagesPerSecond(m.getKey(), SLOTS, slotSeconds);
            double onSlots = (before + after) / 2;
            double efficiency = r.steadyImagesPerSecond() / m.getValue();
            System.out.printf(Locale.ROOT, "  %-22s %7d %11.2f %12.2f %10.3f %9.1f/%-9.1f %10.3f %12.1f %10.2f%n", m.getKey(),
                    r.images(), m.getValue(), r.steadyImagesPerSecond(), efficiency, before, after,
                    r.steadyImagesPerSecond() / onSlots, r.firstTaskSeconds(), r.images() / r.totalSeconds());
            JsonObject o = new JsonObject();
            o.addProperty("images", r.images());
            o.addProperty("slots", SLOTS);
            o.addProperty("core_images_per_s", m.getValue());
            o.addProperty("images_per_s", r.steadyImagesPerSecond());
            o.addProperty("efficiency", efficiency);
            o.addProperty("core_slots_images_per_s_before", before);
            o.addProperty("core_slots_images_per_s_after", after);
            o.addProperty("core_slots_images_per_s", onSlots);
            o.addProperty("efficiency_slots", r.steadyImagesPerSecond() / onSlots);
            o.addProperty("startup_s", r.firstTaskSeconds());
            o.addProperty("total_s", r.totalSeconds());
            o.addProperty("overall_images_per_s", r.images() / r.totalSeconds());
            o.addProperty("failed", r.failed());
            out.add(m.getKey(), o);
        }
        return out;
    }

    /** The core's images/s for a method on {@code slots} threads of one libtorch thread each ({@link SlotRate}). */
    @FunctionalInterface
    interface CoreOnSlots {
        double imagesPerSecond(String method, int slots, double seconds);
    }

    /** A job on a folder of {@code images} images (made once per count). */
    @FunctionalInterface
    interface JobRuns {
        EndToEnd job(String folder, int images) throws IOException;
    }
}
