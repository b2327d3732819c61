package dev.vitex.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The benchmark's command line on a tiny budget: the JSON has the shape checks read, and what it
 * counts agrees with what is known independently (grid sizes from the model card, image counts).
 * Speeds are not asserted here: they belong to the benchmark run, not to tests.
 */
class BenchTest {
    private static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isDirectory(here.resolve("models")) ? here : here.getParent();
    }

    @Test
    void tinyRunWritesEveryPartOfTheJson(@TempDir Path tmp) throws Exception {
        // The job reuses a running session; earlier tests of this JVM may have left one.
        if (SparkSession.getActiveSession().isDefined()) {
            SparkSession.getActiveSession().get().stop();
        }
        if (SparkSession.getDefaultSession().isDefined()) {
            SparkSession.getDefaultSession().get().stop();
        }
        Path json = tmp.resolve("bench.json");
        int status = new CommandLine(new Bench()).execute(
                "--model", root().resolve("models/vit-shapes-tiny/vit-shapes-tiny.json").toString(),
                "--input", root().resolve("samples/shapes").toString(),
                "--methods", "saliency,occlusion", "--images", "4", "--images-per-call", "2", "--batch-size", "16",
                "--seconds", "0.2", "--rounds", "2", "--job-images", "6", "--job-methods", "saliency",
                "--long-images", "8", "--bytes-images", "5", "--efficiency-methods", "saliency,attention_rollout",
                "--efficiency-seconds", "0.01", "--json", json.toString());
        assertEquals(0, status);
        JsonObject o = JsonParser.parseString(Files.readString(json)).getAsJsonObject();

        JsonObject plain = o.getAsJsonObject("plain");
        assertTrue(plain.get("forward_passes_per_s").getAsDouble() > 0);
        assertTrue(plain.get("backward_passes_per_s").getAsDouble() > 0);
        for (String m : new String[] {"saliency", "occlusion"}) {
            JsonObject r = o.getAsJsonObject("methods").getAsJsonObject(m);
            double efficiency = r.get("efficiency").getAsDouble();
            assertTrue(efficiency > 0 && Double.isFinite(efficiency), m + " efficiency " + efficiency);
            assertEquals(r.get("passes_per_s").getAsDouble() / r.get("images_per_s").getAsDouble(),
                    r.get("passes_per_image").getAsDouble(), 0.51, m);
        }
        // 64 cells of 8×8 on the 64×64 fixture: occlusion = the reference + one pass per cell.
        assertEquals(65, o.getAsJsonObject("methods").getAsJsonObject("occlusion").get("passes_per_image").getAsInt());

        JsonObject e2e = o.getAsJsonObject("end_to_end");
        assertTrue(e2e.getAsJsonObject("slots_1").get("images_per_s").getAsDouble() > 0);
        assertTrue(e2e.getAsJsonObject("slots_2").get("images_per_s").getAsDouble() > 0);
        assertEquals(2, e2e.getAsJsonObject("slots_1").getAsJsonArray("images_per_s_each_run").size());
        // efficiency: the job alone on each method (the smallest folder: 64 images), against the core's rate of part 2
        // (which also measured attention_rollout although --methods did not name it), and against the core's rate on
        // the job's 2 slots measured before and after the job run
        for (String m : new String[] {"saliency", "attention_rollout"}) {
            JsonObject r = e2e.getAsJsonObject("methods").getAsJsonObject(m);
            assertEquals(64, r.get("images").getAsInt(), m);
            assertEquals(0, r.get("failed").getAsInt(), m);
            assertEquals(o.getAsJsonObject("methods").getAsJsonObject(m).get("images_per_s").getAsDouble(),
                    r.get("core_images_per_s").getAsDouble(), 1e-9, m);
            assertEquals(r.get("images_per_s").getAsDouble() / r.get("core_images_per_s").getAsDouble(),
                    r.get("efficiency").getAsDouble(), 1e-9, m);
            double before = r.get("core_slots_images_per_s_before").getAsDouble();
            double after = r.get("core_slots_images_per_s_after").getAsDouble();
            assertTrue(before > 0 && after > 0, r.toString());
            assertEquals((before + after) / 2, r.get("core_slots_images_per_s").getAsDouble(), 1e-9, m);
            assertEquals(r.get("images_per_s").getAsDouble() / r.get("core_slots_images_per_s").getAsDouble(),
                    r.get("efficiency_slots").getAsDouble(), 1e-9, m);
            double startup = r.get("startup_s").getAsDouble();
            double steadySeconds = 64 / r.get("images_per_s").getAsDouble();
            // start-up and the task span are disjoint parts of the run
            assertTrue(startup > 0 && startup + steadySeconds <= r.get("total_s").getAsDouble() + 0.01, r.toString());
        }
        JsonObject memory = o.getAsJsonObject("memory");
        assertEquals(8, memory.get("images").getAsInt());
        assertTrue(memory.get("peak_rss_mb").getAsDouble() > 50, "peak RSS " + memory.get("peak_rss_mb"));

        JsonObject patch = o.getAsJsonObject("parquet").getAsJsonObject("patch");
        JsonObject pixel = o.getAsJsonObject("parquet").getAsJsonObject("pixel");
        for (String m : new String[] {"saliency", "occlusion"}) {
            assertEquals(5, patch.getAsJsonObject(m).get("rows").getAsInt(), m);
            assertEquals(64, patch.getAsJsonObject(m).get("units").getAsInt(), m);
            assertEquals(256.0, patch.getAsJsonObject(m).get("raw_float32_score_bytes").getAsDouble(), m);
            assertEquals(5, pixel.getAsJsonObject(m).get("rows").getAsInt(), m);
            assertEquals(64 * 64, pixel.getAsJsonObject(m).get("units").getAsInt(), m);
            // the file holds more than its column data (footers), and the scores column is part of the data
            JsonObject p = pixel.getAsJsonObject(m);
            assertTrue(p.get("file_bytes_per_image").getAsDouble() > p.get("data_bytes_per_image").getAsDouble());
            assertTrue(p.getAsJsonObject("column_bytes_per_image").get("scores").getAsDouble()
                    < p.get("data_bytes_per_image").getAsDouble());
        }
    }

    @Test
    void badOptionsAreOneLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = new CommandLine(new Bench());
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        int status = cli.execute("--rounds", "0");
        assertEquals(2, status);
        String first = err.toString(StandardCharsets.UTF_8).lines().findFirst().orElse("");
        assertEquals("vitex bench: --rounds must be ≥ 1, got 0", first);
        err.reset();
        assertEquals(2, cli.execute("--methods", "saliency,nope"));
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("vitex bench: unknown method \"nope\""), err.toString());
        err.reset();
        assertEquals(2, cli.execute("--model", "/no/such/card.json"));
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("vitex bench: ") && text.lines().count() == 1 && text.contains("/no/such/card.json"), text);
        err.reset();
        assertEquals(2, cli.execute("--model", root().resolve("models/vit-shapes-tiny/vit-shapes-tiny.json").toString(),
                "--input", "/no/such/folder", "--job-images", "0", "--long-images", "0", "--bytes-images", "0"));
        text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("vitex bench: ") && text.lines().count() == 1 && text.contains("/no/such/folder"), text);
    }
}
