package dev.vitex.jobs;

import static dev.vitex.jobs.JobTests.attributions;
import static dev.vitex.jobs.JobTests.manifest;
import static dev.vitex.jobs.JobTests.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Spark local run on the model that fails like libtorch's CPU allocator above a batch of 8
 * (models/test/oom-above-8, scripts/make_oom_model.py), asked for batch 64: every image is explained,
 * no error row, and the manifest's {@code engine} reports the back-off to 8.
 */
class OutOfMemoryBackoffJobTest {
    @TempDir
    Path tmp;

    @Test
    void theManifestReportsTheBackoffAndEveryRowIsWritten() throws IOException {
        Path input = JobTests.copySamples(Files.createDirectories(tmp.resolve("in")));
        long images = JobTests.sampleImages(input).size();
        Path out = tmp.resolve("out");
        run("run", "--input", input.toString(), "--model", JobTests.root().resolve("models/test/oom-above-8.json").toString(),
                "--output", out.toString(), "--methods", "saliency,occlusion", "--targets", "top:2", "--batch-size", "64",
                "--set", "images_per_batch=12", "--partitions", "2").expectOk();

        JsonObject engine = manifest(out).getAsJsonObject("engine");
        assertEquals(64, engine.get("batch_size_configured").getAsInt());
        assertEquals(8, engine.get("batch_size_used_min").getAsInt());
        // every task halves 64 → 32 → 16 → 8 once (its first saliency batch has more than 8 inputs) and keeps 8
        JsonObject tasks = engine.getAsJsonObject("tasks_by_batch_size");
        assertEquals(Set.of("8"), tasks.keySet());
        assertTrue(tasks.get("8").getAsInt() >= 1);
        assertEquals(3 * tasks.get("8").getAsInt(), engine.get("oom_retries").getAsInt());
        JsonObject counts = manifest(out).getAsJsonObject("counts");
        assertEquals(images, counts.get("images_explained").getAsLong());
        assertEquals(0, counts.get("error_rows").getAsLong());
        assertEquals(images * 2 * 2, attributions(out).count());
        assertTrue(images >= 24, "the samples hold 24 images, got " + images);
    }
}
