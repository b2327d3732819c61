package dev.vitex.core.report;

import dev.vitex.core.image.DecodedImage;
import dev.vitex.core.image.ImageGeometry;
import dev.vitex.core.method.Attribution;
import dev.vitex.core.render.RenderFixtures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, hand-made run for report tests: disk images with smooth attributions of three methods,
 * one image with two targets, one with a missing method, ids that try path traversal and markup,
 * and error rows with markup in their messages.
 */
final class SampleReport {
    static final List<String> METHODS = List.of("saliency", "integrated_gradients", "occlusion");
    static final List<String> LABELS = List.of("square", "disk", "cross", "triangle");
    static final String NASTY_ID = "../evil/<script>alert('x')</script>&.png";

    private SampleReport() {}

    static List<ReportImage> images(int count) {
        List<ReportImage> images = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = i == 1 ? NASTY_ID : (i % 2 == 0 ? "disk/img_" : "square/img_") + String.format("%02d.png", i);
            int size = i == 2 ? 96 : 64; // one 96×48 image (not square) to check the layout
            int height = i == 2 ? 48 : 64;
            double cy = height * (0.35 + 0.05 * (i % 4));
            double cx = size * (0.3 + 0.1 * (i % 5));
            DecodedImage image = RenderFixtures.disk(size, height, cy, cx, height * 0.22);
            int rows = height / 8;
            int cols = size / 8;
            List<ReportCell> cells = new ArrayList<>();
            int targets = i == 0 ? 2 : 1;
            for (int t = 0; t < targets; t++) {
                int target = t == 0 ? 1 : 3;
                for (int m = 0; m < METHODS.size(); m++) {
                    if (i == 3 && m == 2) {
                        continue; // occlusion failed for this image
                    }
                    double scale = m == 0 ? 2.5e-3 : m == 1 ? 0.8 : 0.12;
                    float[] scores = RenderFixtures.blobs(rows, cols, cy / 8 - 0.5 + t * 2, cx / 8 - 0.5, rows - 2.0, cols - 2.0,
                            t == 0 ? scale : -scale);
                    Attribution a = new Attribution(METHODS.get(m), "{}", dev.vitex.core.grid.Granularity.PATCH, rows, cols, 8,
                            scores, target, t == 0 ? 0.91f : 0.03f, 100, null);
                    Double del = m == 2 ? 0.12 + 0.01 * i : null;
                    Double ins = m == 2 ? 0.81 - 0.01 * i : null;
                    cells.add(new ReportCell(LABELS.get(target), a, RenderFixtures.units(a, ImageGeometry.identity(size, height)), del, ins));
                }
            }
            images.add(new ReportImage(id, image, "disk", 0.91f, cells));
        }
        return images;
    }

    static RunSummary summary(int totalImages) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("images read", (long) totalImages + 2);
        counts.put("images explained", (long) totalImages);
        counts.put("images failed", 2L);
        for (String m : METHODS) {
            counts.put("rows: " + m, (long) totalImages);
        }
        List<ReportError> errors = List.of(
                new ReportError("broken/truncated.png", "decode", null, "corrupt or truncated PNG: EOFException (Unexpected end of ZLIB input stream)"),
                new ReportError("square/img_03.png", "method", "occlusion", "model failed: <b>out of memory</b> & retries exhausted"));
        return RunSummary.of("run-2024-06-01T12:00:00Z-7f3a", "vit-shapes-tiny", METHODS, counts, totalImages, errors);
    }

    static Path write(Path dir, int count, ReportOptions options) {
        return new ReportWriter(options).write(dir, summary(count), images(count));
    }
}
