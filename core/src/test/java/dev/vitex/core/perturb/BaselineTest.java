package dev.vitex.core.perturb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.vitex.core.TestData;
import dev.vitex.core.TestModels;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The {@code blur:σ} baseline against torch (reference/gaussian_blur.json: separable kernel of radius
 * max(1, ⌈3σ⌉), edge-repeating reflection), and the {@code noise:σ} baseline by its seeded statistics.
 */
class BaselineTest {

    @Test
    void blurMatchesTheTorchReference() {
        JsonObject ref = TestData.json(TestData.resource("reference/gaussian_blur.json"));
        for (JsonElement e : ref.getAsJsonArray("cases")) {
            JsonObject c = e.getAsJsonObject();
            int channels = c.get("channels").getAsInt();
            int height = c.get("height").getAsInt();
            int width = c.get("width").getAsInt();
            double sigma = c.get("sigma").getAsDouble();
            float[] input = TestData.floats(c.get("input"));
            float[] expected = TestData.floats(c.get("blurred"));
            Baseline blur = Baseline.parse("blur:" + sigma, channels);
            float[] out = blur.reference(input, channels, height, width, null);
            float diff = TestData.maxAbsDiff(expected, out);
            System.out.printf("blur σ=%.2f on %d×%d×%d: max |diff| %.3g%n", sigma, channels, height, width, diff);
            assertTrue(diff <= 1e-6, "σ " + sigma + ": " + diff);
            assertEquals("blur:" + sigma, blur.text());
        }
    }

    /** r = x + σ ε: the residuals have mean 0 and standard deviation σ; the stream decides them exactly. */
    @Test
    void noiseHasItsStatisticsAndFollowsTheStream() {
        double sigma = 0.3;
        float[] x = TestModels.randomInput(41);
        Baseline noise = Baseline.parse(" Noise:0.3 ", 3);
        assertTrue(noise.isStochastic());
        assertEquals("noise:0.3", noise.text());
        SeedSequence seeds = SeedSequence.of(1, "image", "occlusion");
        float[] r = noise.reference(x, 3, 64, 64, seeds.named("baseline"));
        double mean = 0;
        double squares = 0;
        for (int i = 0; i < x.length; i++) {
            double d = r[i] - x[i];
            mean += d;
            squares += d * d;
        }
        mean /= x.length;
        double sd = Math.sqrt(squares / x.length - mean * mean);
        System.out.printf("noise:%.1f baseline: residual mean %.2e, sd %.5f over %d values%n", sigma, mean, sd, x.length);
        assertEquals(0, mean, 5 * sigma / Math.sqrt(x.length));
        assertEquals(sigma, sd, 5 * sigma / Math.sqrt(2.0 * x.length));
        SplittableRandom replay = seeds.named("baseline");
        for (int i = 0; i < 10; i++) {
            assertEquals((float) (x[i] + sigma * replay.nextGaussian()), r[i]);
        }
        assertArrayEquals(r, noise.reference(x, 3, 64, 64, seeds.named("baseline")));
        float[] other = noise.reference(x, 3, 64, 64, SeedSequence.of(2, "image", "occlusion").named("baseline"));
        assertFalse(java.util.Arrays.equals(r, other), "another seed gave the same noise");
    }

    @Test
    void constantsAndBadValues() {
        float[] x = TestModels.randomInput(42);
        float[] r = Baseline.parse("[0.25, -0.5, 0.75]", 3).reference(x, 3, 64, 64, null);
        assertEquals(0.25f, r[0]);
        assertEquals(-0.5f, r[4096 + 17]);
        assertEquals(0.75f, r[3 * 4096 - 1]);
        assertEquals(Baseline.ZERO, Baseline.parse("0", 3));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Baseline.parse("noise:-1", 3));
        assertTrue(e.getMessage().contains("σ must be > 0") && e.getMessage().contains("blur:SIGMA"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Baseline.parse("[1,2]", 3));
        assertTrue(e.getMessage().contains("needs 3 values"), e.getMessage());
    }
}
