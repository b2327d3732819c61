package dev.vitex.jobs.audit;

import dev.vitex.core.grid.Granularity;
import dev.vitex.core.image.DecodedImage;
import dev.vitex.core.image.ImageDecoder;
import dev.vitex.core.render.HeatmapRenderer;
import dev.vitex.core.render.ScoreGrid;
import dev.vitex.jobs.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heatmap files of the audit and comparison pages, drawn by the report's renderer ({@code core.render}):
 * a row's map over its original image (read again from {@code source_path}), or a mean map over a neutral
 * grey image of the model's input size. Files go to {@code <page folder>/img/}.
 */
final class PageImages {
    private static final Logger LOG = LoggerFactory.getLogger("vitex");
    /** Largest image decoded for a page (pixels). */
    private static final long MAX_PIXELS = 50_000_000L;
    private static final float GREY = 200f;

    private final Path dir;
    private final Configuration hadoop;
    private final HeatmapRenderer renderer = new HeatmapRenderer();
    private final ImageDecoder decoder = new ImageDecoder(MAX_PIXELS);
    private int next;

    PageImages(Path pageDir, Configuration hadoop) {
        this.dir = pageDir.resolve("img");
        this.hadoop = hadoop;
    }

    /** The local folder of an output path (the pages are written with java.nio), or a one-line error. */
    static Path localDir(String output) {
        URI uri = URI.create(output.replace(" ", "%20"));
        if (uri.getScheme() != null && !uri.getScheme().equals("file")) {
            throw new ConfigException("--report needs a local --output folder, got " + output);
        }
        return uri.getScheme() == null ? Path.of(output) : Path.of(uri);
    }

    /** A mean map over grey at the model-input size; returns the file name relative to the page. */
    String meanMap(float[] scores, int rows, int cols, String granularity, int height, int width, String caption) {
        float[] rgb = new float[3 * height * width];
        Arrays.fill(rgb, GREY);
        DecodedImage grey = new DecodedImage(width, height, rgb);
        return write(grey, new ScoreGrid(Granularity.valueOf(granularity), rows, cols, scores, 0, 0, height, width), caption);
    }

    /** A row's map over its original image, or null when the image cannot be read again (logged). */
    String overlay(String sourcePath, float[] scores, int rows, int cols, String granularity, List<Double> box, String caption) {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(sourcePath);
            byte[] bytes;
            try (InputStream in = p.getFileSystem(hadoop).open(p)) {
                bytes = in.readAllBytes();
            }
            DecodedImage image = decoder.decode(bytes);
            return write(image, new ScoreGrid(Granularity.valueOf(granularity), rows, cols, scores, box.get(0), box.get(1),
                    box.get(2), box.get(3)), caption);
        } catch (IOException | RuntimeException e) {
            LOG.warn("page: cannot draw {}: {}", sourcePath, e.getMessage());
            return null;
        }
    }

    private String write(DecodedImage image, ScoreGrid grid, String caption) {
        String name = String.format("img/h%05d.png", next++);
        HeatmapRenderer.writePng(renderer.render(image, grid, caption).image(), dir.resolveSibling(name));
        return name;
    }

    /** Creates the page's folder and writes {@code html} as {@code name}. */
    static Path writePage(Path pageDir, String name, String html) {
        try {
            Files.createDirectories(pageDir);
            return Files.writeString(pageDir.resolve(name), html);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + pageDir.resolve(name) + ": " + e.getMessage(), e);
        }
    }

    static String escape(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static float[] floats(List<?> list) {
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) list.get(i)).floatValue();
        }
        return out;
    }

    static final String STYLE = "<style>body{font-family:sans-serif;margin:16px;color:#222}"
            + "section{border-top:1px solid #ccc;margin-top:16px;padding-top:8px}"
            + ".row{display:flex;flex-wrap:wrap;gap:8px;align-items:flex-start}"
            + "figure{margin:0}figcaption{font-size:12px;max-width:280px}"
            + "table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 6px;font-size:13px}</style>";

}
