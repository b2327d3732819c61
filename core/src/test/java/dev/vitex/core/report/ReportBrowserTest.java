package dev.vitex.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vitex.core.TestData;
import dev.vitex.core.render.RenderFixtures;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * End to end: the report opens in a real browser (headless Chromium, offline, from file://) and
 * shows its heatmaps. Skipped, with the reason, where Debian's {@code chromium} is not installed.
 * The report and screenshot stay in {@code core/target/render-e2e/} to be looked at.
 */
class ReportBrowserTest {

    static boolean chromiumPresent() {
        String custom = System.getenv("CHROMIUM");
        if (custom != null && new File(custom).canExecute()) {
            return true;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, "chromium").canExecute() || new File(dir, "chromium-browser").canExecute()) {
                return true;
            }
        }
        return false;
    }

    /** Runs scripts/report-screenshot.sh and returns the screenshot; fails with the script's output. */
    static BufferedImage screenshot(Path reportDir, Path png) throws Exception {
        Path script = TestData.root().resolve("scripts/report-screenshot.sh");
        Process p = new ProcessBuilder("bash", script.toString(), reportDir.toString(), png.toString())
                .redirectErrorStream(true).start();
        boolean done = p.waitFor(240, TimeUnit.SECONDS);
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!done) {
            p.destroyForcibly();
        }
        assertTrue(done, "chromium did not finish within 240 s: " + output);
        assertEquals(0, p.exitValue(), "report-screenshot.sh failed: " + output);
        System.out.println(output.trim());
        return ImageIO.read(png.toFile());
    }

    @Test
    void reportRendersInHeadlessChromium() throws Exception {
        assumeTrue(chromiumPresent(), "chromium is not installed (apt-get install -y chromium): "
                + "skipping the headless-browser check of the report; scripts/report-screenshot.sh makes the same screenshot by hand");
        Path out = Path.of("target/render-e2e").toAbsolutePath();
        Path report = out.resolve("report");
        SampleReport.write(report, 6, ReportOptions.defaults());
        Path png = out.resolve("report-screenshot.png");
        Files.deleteIfExists(png);

        long start = System.nanoTime();
        BufferedImage shot = screenshot(report, png);
        System.out.printf("chromium screenshot of the report: %d ms%n", (System.nanoTime() - start) / 1_000_000);

        assertEquals(1280, shot.getWidth());
        assertEquals(900, shot.getHeight());
        // The heatmap PNGs loaded: the page shows overlay reds and blues, which only the images carry
        // in quantity (the legend ramp is 160×12 px).
        int red = 0;
        int blue = 0;
        for (int y = 0; y < shot.getHeight(); y++) {
            for (int x = 0; x < shot.getWidth(); x++) {
                int rgb = shot.getRGB(x, y);
                if (RenderFixtures.reddish(rgb)) {
                    red++;
                } else if (RenderFixtures.bluish(rgb)) {
                    blue++;
                }
            }
        }
        assertTrue(red > 5000, "red heatmap pixels on screen: " + red);
        assertTrue(blue > 3000, "blue heatmap pixels on screen: " + blue);
    }
}
