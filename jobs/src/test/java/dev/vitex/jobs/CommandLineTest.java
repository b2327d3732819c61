package dev.vitex.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitex.jobs.cli.JobOptionsAccess;
import dev.vitex.jobs.config.JobConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The commands around the run options: demo's defaults, bench's pass-through, --version, exit statuses. */
class CommandLineTest {
    @Test
    void demoFillsWhatIsNotGiven() {
        JobConfig demo = JobOptionsAccess.resolve("demo");
        assertEquals(List.of("saliency", "integrated_gradients", "smooth_grad", "gradient_shap", "occlusion", "lime",
                "kernel_shap", "attention_gradient", "random"), demo.methods);
        assertEquals(Map.of("n", "300"), demo.paramsOf("lime"));
        assertEquals(Map.of("n", "300"), demo.paramsOf("kernel_shap"));
        assertEquals(List.of("deletion", "insertion"), demo.metrics);
        assertTrue(demo.report);
        assertEquals("local[*]", demo.master);
        assertEquals("vitex-demo-out", demo.output);
        assertTrue(Path.of(demo.input).endsWith("samples/shapes"), demo.input);
        assertTrue(Path.of(demo.model).endsWith("models/vit-shapes-tiny/vit-shapes-tiny.json"), demo.model);

        JobConfig given = JobOptionsAccess.resolve("demo", "--methods", "saliency,lime", "--param", "lime.n=50", "--no-report",
                "--output", "elsewhere", "--batch-size", "8");
        assertEquals(List.of("saliency", "lime"), given.methods);
        assertEquals(Map.of("n", "50"), given.paramsOf("lime"), "a --param wins over the demo's");
        assertEquals(Map.of("n", "300"), given.paramsOf("kernel_shap"));
        assertFalse(given.report);
        assertEquals("elsewhere", given.output);
        assertEquals(8, given.batchSize);
    }

    @Test
    void benchGetsEverythingAfterBench() {
        Run r = run("bench", "--rounds", "0");
        assertEquals(AttributionJob.BAD_CONFIG, r.status(), r.err());
        assertTrue(r.err().startsWith("vitex bench: --rounds must be ≥ 1, got 0"), r.err());
        Run help = run("bench", "--help");
        assertEquals(AttributionJob.OK, help.status(), help.err());
        assertTrue(help.out().contains("--seconds"), "the benchmark's own help: " + help.out());
    }

    @Test
    void versionAndStatuses() {
        Run v = run("--version");
        assertEquals(0, v.status());
        assertTrue(v.out().startsWith("vitex ") && v.out().contains("Spark ") && v.out().contains("libtorch "), v.out());
        Run none = run();
        assertEquals(AttributionJob.BAD_CONFIG, none.status());
        assertTrue(none.out().contains("(run | demo | bench | audit | compare)"), none.out());
        Run unknown = run("run", "--batch-size", "0", "--frobnicate");
        assertEquals(AttributionJob.BAD_CONFIG, unknown.status());
        assertEquals(1, unknown.err().strip().lines().count(), unknown.err());
        assertTrue(unknown.err().contains("--frobnicate") && unknown.err().contains("(see: vitex run --help)"), unknown.err());
    }

    private record Run(int status, String out, String err) {}

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = AttributionJob.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
