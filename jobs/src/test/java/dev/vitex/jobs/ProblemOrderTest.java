package dev.vitex.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.vitex.jobs.driver.AttributionRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The input is listed on a thread of its own beside the model checks (issue 16, start-up), but a run with
 * several problems still reports the one a user fixes first, in the documented order: card, targets,
 * methods, input, model, output — and starts no Spark session.
 */
class ProblemOrderTest {
    @TempDir
    static Path tmp;
    static String images;
    static String card;
    static String garbageModel;
    static String missingInput;
    static String aFile;

    @BeforeAll
    static void setUp() throws IOException {
        images = JobTests.copySamples(Files.createDirectories(tmp.resolve("in"))).toString();
        card = JobTests.shapesCard().toString();
        Path dir = Files.createDirectories(tmp.resolve("garbage"));
        Files.write(dir.resolve("vit.pt"), "not a TorchScript archive".getBytes(StandardCharsets.UTF_8));
        JsonObject o = JsonParser.parseString(Files.readString(JobTests.shapesCard())).getAsJsonObject();
        o.addProperty("file", "vit.pt");
        o.remove("precisions");
        Files.writeString(dir.resolve("card.json"), o.toString());
        garbageModel = dir.resolve("card.json").toString();
        missingInput = tmp.resolve("no-such-images").toString();
        aFile = Files.writeString(tmp.resolve("a-file.txt"), "x").toString();
    }

    /** Runs a bad command line; returns its one stderr line after checking exit status 2 and no Spark start. */
    static String refusal(String input, String model, String output, String... more) {
        int sparkStarts = AttributionRun.SPARK_STARTS.get();
        List<String> args = new ArrayList<>(List.of("run", "--input", input, "--model", model, "--output", output,
                "--methods", "saliency", "--master", "local[2]"));
        args.addAll(List.of(more));
        JobTests.Run r = JobTests.run(args.toArray(String[]::new));
        assertEquals(AttributionJob.BAD_CONFIG, r.status(), r.err());
        assertEquals(sparkStarts, AttributionRun.SPARK_STARTS.get(), "Spark was started: " + r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), err);
        return err;
    }

    @Test
    void eachProblemAloneIsReported() {
        assertTrue(refusal(missingInput, card, tmp.resolve("o1").toString()).contains("no such file or folder"));
        assertTrue(refusal(images, garbageModel, tmp.resolve("o2").toString()).contains("cannot load TorchScript"));
        assertTrue(refusal(images, card, aFile).contains("is a file"));
    }

    @Test
    void anInputProblemComesBeforeAModelProblemAndAnOutputProblem() {
        String err = refusal(missingInput, garbageModel, aFile);
        assertTrue(err.contains("--input " + missingInput + ": no such file or folder"), err);
    }

    @Test
    void cardTargetAndMethodProblemsComeBeforeAnInputProblem() {
        String card1 = refusal(missingInput, tmp.resolve("nope.json").toString(), aFile);
        assertTrue(card1.contains("model card not found"), card1);
        String targets = refusal(missingInput, garbageModel, aFile, "--targets", "zebra");
        assertTrue(targets.contains("\"zebra\""), targets);
        String methods = refusal(missingInput, garbageModel, aFile, "--methods", "saliency,frobnication");
        assertTrue(methods.contains("unknown method \"frobnication\""), methods);
    }

    @Test
    void aModelProblemComesBeforeAnOutputProblem() {
        String err = refusal(images, garbageModel, aFile);
        assertTrue(err.contains("cannot load TorchScript"), err);
    }
}
