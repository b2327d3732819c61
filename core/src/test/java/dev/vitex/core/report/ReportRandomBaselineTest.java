package dev.vitex.core.report;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitex.core.grid.Granularity;
import dev.vitex.core.image.ImageGeometry;
import dev.vitex.core.method.Attribution;
import dev.vitex.core.render.RenderFixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each method's deletion/insertion AUC is shown next to random's on the same image and target. */
class ReportRandomBaselineTest {

    private static ReportCell cell(String method, double deletion, double insertion) {
        float[] scores = RenderFixtures.blobs(8, 8, 3.5, 3.5, 6.0, 6.0, 1.0);
        Attribution a = new Attribution(method, "{}", Granularity.PATCH, 8, 8, 8, scores, 1, 0.9f, 1, null);
        return new ReportCell("disk", a, RenderFixtures.units(a, ImageGeometry.identity(64, 64)), deletion, insertion);
    }

    @Test
    void aucsAreShownNextToRandoms(@TempDir Path dir) throws Exception {
        List<String> methods = List.of("occlusion", "random");
        List<ReportCell> cells = new ArrayList<>(List.of(cell("occlusion", 0.2, 0.7), cell("random", 0.5, 0.4)));
        ReportImage image = new ReportImage("disk/img_00.png", RenderFixtures.disk(64, 64, 30, 30, 12), "disk", 0.9f, cells);
        RunSummary summary = RunSummary.of("run-1", "vit-shapes-tiny", methods, Map.of("images explained", 1L), 1, List.of());
        Path index = new ReportWriter().write(dir, summary, List.of(image));
        String text = ReportWriterTest.parse(index).getDocumentElement().getTextContent().replaceAll("\\s+", " ");
        assertTrue(text.contains("deletion 0.200 (random 0.500)"), text);
        assertTrue(text.contains("insertion 0.700 (random 0.400)"), text);
        assertFalse(text.contains("deletion 0.500 (random"), "random is not compared with itself: " + text);

        ReportImage alone = new ReportImage("disk/img_00.png", RenderFixtures.disk(64, 64, 30, 30, 12), "disk", 0.9f,
                List.of(cell("occlusion", 0.2, 0.7)));
        Path other = new ReportWriter().write(dir.resolve("alone"), RunSummary.of("run-2", "vit-shapes-tiny",
                List.of("occlusion"), Map.of("images explained", 1L), 1, List.of()), List.of(alone));
        assertFalse(ReportWriterTest.parse(other).getDocumentElement().getTextContent().contains("(random"));
    }
}
