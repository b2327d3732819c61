package dev.vitex.jobs;

import static dev.vitex.jobs.JobTests.attributions;
import static dev.vitex.jobs.JobTests.manifest;
import static dev.vitex.jobs.JobTests.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.vitex.jobs.executor.ModelRef;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --precision bf16} end to end in local Spark: the bf16 file of the card runs, the rows and the
 * manifest say so (fingerprint and model), and a resume at another precision is refused in one line
 * before Spark runs anything.
 */
class PrecisionJobTest {
    @TempDir
    static Path tmp;

    @Test
    void bf16RunRecordsItsPrecisionAndAResumeInFp32IsRefused() {
        Path out = tmp.resolve("bf16");
        Path bf16File = JobTests.shapesCard().resolveSibling("vit-shapes-tiny.bf16.pt");
        List<String> common = List.of("run", "--model", JobTests.shapesCard().toString(), "--output", out.toString(),
                "--input", JobTests.samples().resolve("[c]ross").resolve("img_0[0-3].png").toString(), "--methods", "saliency");
        run(JobTests.args(common, "--precision", "bf16")).expectOk();

        List<Row> rows = attributions(out).select("model_sha256", "target_score").collectAsList();
        assertEquals(4, rows.size());
        String sha = ModelRef.sha256(bf16File);
        rows.forEach(r -> assertEquals(sha, r.getString(0), "rows name the TorchScript file that ran"));
        JsonObject m = manifest(out);
        assertEquals("bf16", m.getAsJsonObject("fingerprint").get("precision").getAsString());
        assertEquals(sha, m.getAsJsonObject("fingerprint").get("model_sha256").getAsString());
        JsonObject model = m.getAsJsonObject("model");
        assertEquals("bf16", model.get("precision").getAsString());
        assertEquals("vit-shapes-tiny.bf16.pt", model.get("file").getAsString());
        assertEquals(sha, model.get("sha256").getAsString());

        JobTests.Run refused = run(JobTests.args(common, "--mode", "resume"));
        assertEquals(2, refused.status(), refused.err());
        String err = refused.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("was written with precision = \"bf16\", this run has \"fp32\""), err);

        run(JobTests.args(common, "--mode", "resume", "--precision", "bf16")).expectOk(); // same precision: resumes
        assertEquals(4, attributions(out).count());
    }
}
