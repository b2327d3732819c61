package dev.vitex.core.render;

import dev.vitex.core.image.DecodedImage;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Draws one attribution over its ORIGINAL image as a PNG-ready picture: the image at display size
 * (see {@link DisplayScale}), the scores upsampled onto it in a diverging colormap centred on zero
 * (see {@link Overlay}, {@link ScoreScale}), the unit grid faintly for PATCH maps, an optional
 * caption line above and a colour bar with raw score values to the right.
 *
 * <p>Plain Java2D and ImageIO (headless), so it runs on executors and in tests without a display.
 * Thread-safe: it holds only its immutable options.
 */
public final class HeatmapRenderer {
    static {
        ImageIO.setUseCache(false); // no temp files from executors
    }

    static final int PADDING = 8;
    private static final float PNG_COMPRESSION_QUALITY = 0.5f;
    static final int BAR_GAP = 10;
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font CAPTION_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 12);

    private final HeatmapOptions options;

    public HeatmapRenderer(HeatmapOptions options) {
        this.options = options;
    }

    public HeatmapRenderer() {
        this(HeatmapOptions.defaults());
    }

    public HeatmapOptions options() {
        return options;
    }

    /** The overlay of {@code grid} on {@code image}; {@code caption} (may be null) is drawn above it. */
    public RenderedHeatmap render(DecodedImage image, ScoreGrid grid, String caption) {
        DisplayScale display = DisplayScale.of(image.width(), image.height(), options.minDisplaySide(), options.maxDisplaySide());
        ScoreScale scale = ScoreScale.of(grid.scores(), options.lowPercentile(), options.highPercentile());
        int[] pixels = Overlay.compose(image, grid, scale, display, options);

        FontMetrics metrics = metrics(FONT);
        List<ColourBar.Tick> ticks = ColourBar.ticks(scale, display.height(), metrics.getHeight());
        int barWidth = options.colourBar() ? BAR_GAP + ColourBar.width(ticks, metrics) : 0;
        int captionHeight = caption == null || caption.isBlank() ? 0 : metrics(CAPTION_FONT).getHeight() + 4;
        int width = PADDING + display.width() + barWidth + PADDING;
        int height = PADDING + captionHeight + display.height() + PADDING;
        int left = PADDING;
        int top = PADDING + captionHeight;

        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            out.setRGB(left, top, display.width(), display.height(), pixels, 0, display.width());
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            if (captionHeight > 0) {
                g.setFont(CAPTION_FONT);
                g.setColor(new Color(0x222222));
                g.drawString(fit(caption, g.getFontMetrics(), width - 2 * PADDING), PADDING, PADDING + g.getFontMetrics().getAscent());
            }
            if (options.colourBar()) {
                g.setFont(FONT);
                ColourBar.draw(g, left + display.width() + BAR_GAP, top, display.height(), ticks);
            }
        } finally {
            g.dispose();
        }
        return new RenderedHeatmap(out, left, top, display, scale);
    }

    /** The original image alone at the same display size as its overlays (nearest when enlarging). */
    public BufferedImage renderOriginal(DecodedImage image) {
        DisplayScale display = DisplayScale.of(image.width(), image.height(), options.minDisplaySide(), options.maxDisplaySide());
        float[] rgb = display.resample(image);
        int plane = display.width() * display.height();
        int[] pixels = new int[plane];
        for (int i = 0; i < plane; i++) {
            pixels[i] = Overlay.pack(rgb[i], rgb[plane + i], rgb[2 * plane + i]);
        }
        BufferedImage out = new BufferedImage(display.width(), display.height(), BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, display.width(), display.height(), pixels, 0, display.width());
        return out;
    }

    /** Writes {@code image} as a PNG file (parent folders are created, an existing file is replaced). */
    public static void writePng(BufferedImage image, Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, png(image));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write PNG " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code image} encoded as PNG bytes. */
    public static byte[] png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * 1024);
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            // A middle deflate level: about half the time of the default for a few % more bytes.
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(PNG_COMPRESSION_QUALITY);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode PNG: " + e.getMessage(), e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    private static FontMetrics metrics(Font font) {
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = scratch.createGraphics();
        try {
            return g.getFontMetrics(font);
        } finally {
            g.dispose();
        }
    }

    /** The caption shortened with an ellipsis to fit {@code maxWidth} pixels. */
    private static String fit(String text, FontMetrics metrics, int maxWidth) {
        if (metrics.stringWidth(text) <= maxWidth) {
            return text;
        }
        String s = text;
        while (!s.isEmpty() && metrics.stringWidth(s + "\u2026") > maxWidth) {
            s = s.substring(0, s.length() - 1);
        }
        return s + "\u2026";
    }
}
