package dev.vitex.core.report;

import dev.vitex.core.render.HeatmapRenderer;
import dev.vitex.core.render.RenderedHeatmap;
import dev.vitex.core.render.ScoreFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes a run's audit report: {@code <dir>/index.html} and the PNGs it shows under
 * {@code <dir>/img/}. Static files only (inline CSS, no scripts, no external fonts), so the folder
 * can be opened from disk, zipped or copied anywhere and works offline.
 *
 * <h2>Use from collected rows</h2>
 * <pre>{@code
 * // per image (at most options.maxImages(); see "Sampling"):
 * List<ReportCell> cells = new ArrayList<>();
 * for (Row r : rowsOfThisImage) {            // one attributions row per method × target
 *     Attribution a = new Attribution(r.method, r.params, Granularity.valueOf(r.granularity),
 *             r.gridHeight, r.gridWidth, r.inputHeight / r.gridHeight, r.scores,
 *             r.target, r.targetScore, r.modelPasses, null);
 *     List<Unit> units = r.units.stream().map(u -> new Unit(u.row, u.col, u.y0, u.x0, u.y1, u.x1,
 *             u.oy0, u.ox0, u.oy1, u.ox1)).toList();
 *     cells.add(new ReportCell(r.targetLabel, a, units, r.deletionAuc, r.insertionAuc));
 * }
 * images.add(ReportImage.decode(imageId, imageBytes, predictedLabel, predictedScore, cells));
 *
 * RunSummary summary = new RunSummary(runId, modelName, methods, counts, imagesExplained,
 *         errorSample, errorCount);   // errorSample: ReportError(imageId, stage, method, message)
 * Path index = new ReportWriter(ReportOptions.defaults()).write(outputDir.resolve("report"), summary, images);
 * }</pre>
 *
 * <h2>Sampling</h2>
 * The page shows at most {@code maxImages} images and says "showing N of M images" (M =
 * {@link RunSummary#totalImages()}); the Parquet output has all of them. Callers should collect
 * only a sample to the driver. If more images are passed than shown, the writer keeps those with
 * the smallest SHA-256 of the image id (hex order) — the same order as Spark's
 * {@code sha2(image_id, 256)} — which spreads the sample over classes and folders and does not
 * depend on partitioning. Shown images are sorted by id.
 *
 * <h2>Files</h2>
 * {@code img/<image>/original.png} and {@code img/<image>/<method>-t<target>.png}, where
 * {@code <image>} is a {@link FileNames} stem: no image id can choose a path outside the report
 * folder, and distinct ids never share a file. PNG files left in {@code img/} by an earlier run
 * are deleted first, so the folder holds exactly what the page links.
 */
public final class ReportWriter {
    private final ReportOptions options;
    private final HeatmapRenderer renderer;

    public ReportWriter(ReportOptions options) {
        this.options = options;
        this.renderer = new HeatmapRenderer(options.heatmap());
    }

    public ReportWriter() {
        this(ReportOptions.defaults());
    }

    /**
     * Renders every shown heatmap, writes the page and returns the path of {@code index.html}.
     *
     * @throws IllegalArgumentException if two images share an id
     * @throws UncheckedIOException if a file cannot be written
     */
    public Path write(Path reportDir, RunSummary summary, List<ReportImage> images) {
        List<ReportImage> shown = sample(images, options.maxImages());
        long total = Math.max(summary.totalImages(), images.size());
        List<String> methods = methodColumns(summary, shown);
        Map<String, String> methodStems = FileNames.stems(methods);
        Map<String, String> imageStems = FileNames.stems(shown.stream().map(ReportImage::imageId).toList());
        try {
            Path imgDir = reportDir.resolve("img");
            Files.createDirectories(imgDir);
            removeOldImages(imgDir);
            // Images are independent and PNG encoding dominates, so they render in parallel; the
            // list keeps the sorted order.
            List<ReportPage.ImageRows> rows = shown.parallelStream().map(image -> {
                String stem = imageStems.get(image.imageId());
                String original = "img/" + stem + "/original.png";
                HeatmapRenderer.writePng(renderer.renderOriginal(image.image()), reportDir.resolve(original));
                return new ReportPage.ImageRows(image, original, targetRows(reportDir, image, stem, methodStems));
            }).toList();
            String html = new ReportPage(options).html(summary, methods, rows, total);
            Path index = reportDir.resolve("index.html");
            writeAtomically(index, html);
            return index;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report to " + reportDir + ": " + e.getMessage(), e);
        }
    }

    /** The shown images: all when they fit, else the {@code max} smallest by SHA-256 of the id; sorted by id. */
    static List<ReportImage> sample(List<ReportImage> images, int max) {
        Set<String> seen = new HashSet<>();
        for (ReportImage image : images) {
            if (!seen.add(image.imageId())) {
                throw new IllegalArgumentException("image id \"" + image.imageId() + "\" appears twice in the report input;"
                        + " pass one ReportImage per image with all its cells");
            }
        }
        Stream<ReportImage> s = images.stream();
        if (images.size() > max) {
            s = s.sorted(Comparator.comparing((ReportImage i) -> FileNames.sha256(i.imageId()))).limit(max);
        }
        return s.sorted(Comparator.comparing(ReportImage::imageId)).toList();
    }

    /** The summary's methods in order, then any method found only in the cells (never hide a column). */
    private static List<String> methodColumns(RunSummary summary, List<ReportImage> shown) {
        LinkedHashSet<String> methods = new LinkedHashSet<>(summary.methods());
        for (ReportImage image : shown) {
            for (ReportCell cell : image.cells()) {
                methods.add(cell.method());
            }
        }
        return List.copyOf(methods);
    }

    /** One row per target (in order of first appearance), one rendered cell per method. */
    private List<ReportPage.TargetRow> targetRows(Path reportDir, ReportImage image, String stem,
                                                  Map<String, String> methodStems) {
        Map<Integer, ReportPage.TargetRow> byTarget = new LinkedHashMap<>();
        Map<Integer, Map<String, ReportPage.RenderedCell>> cells = new HashMap<>();
        for (ReportCell cell : image.cells()) {
            int target = cell.target();
            byTarget.computeIfAbsent(target, t -> {
                cells.put(t, new LinkedHashMap<>());
                return new ReportPage.TargetRow(t, cell.targetLabel(), cell.targetScore(), cells.get(t));
            });
            if (cells.get(target).containsKey(cell.method())) {
                throw new IllegalArgumentException("image \"" + image.imageId() + "\" has two " + cell.method()
                        + " cells for target " + target);
            }
            String href = "img/" + stem + "/" + methodStems.get(cell.method()) + "-t" + target + ".png";
            String caption = cell.method() + " \u00b7 " + label(cell.targetLabel(), target) + " (" + ScoreFormat.format(cell.targetScore()) + ")";
            RenderedHeatmap rendered = renderer.render(image.image(), cell.grid(), caption);
            HeatmapRenderer.writePng(rendered.image(), reportDir.resolve(href));
            cells.get(target).put(cell.method(), new ReportPage.RenderedCell(cell, href, rendered.scale()));
        }
        return List.copyOf(byTarget.values());
    }

    static String label(String label, int target) {
        return label == null || label.isEmpty() ? "class " + target : label;
    }

    /** Deletes PNG files (and then empty folders) under img/ left by an earlier report. */
    private static void removeOldImages(Path imgDir) throws IOException {
        List<Path> paths;
        try (Stream<Path> walk = Files.walk(imgDir)) {
            paths = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : paths) {
            if (p.equals(imgDir)) {
                continue;
            }
            if (Files.isRegularFile(p) && p.getFileName().toString().endsWith(".png")) {
                Files.delete(p);
            } else if (Files.isDirectory(p)) {
                try (Stream<Path> children = Files.list(p)) {
                    if (children.findAny().isEmpty()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }

    private static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
