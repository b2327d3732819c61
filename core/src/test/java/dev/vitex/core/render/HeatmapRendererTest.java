package dev.vitex.core.render;

import static dev.vitex.core.render.RenderFixtures.bluish;
import static dev.vitex.core.render.RenderFixtures.hex;
import static dev.vitex.core.render.RenderFixtures.red;
import static dev.vitex.core.render.RenderFixtures.reddish;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitex.core.image.DecodedImage;
import dev.vitex.core.image.ImageGeometry;
import dev.vitex.core.method.Attribution;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HeatmapRendererTest {
    private static final int GREY = 128;

    /** 64×64 uniform grey, 8×8 patches of 8 px: +1 at (2, 3), −1 at (5, 1), zero elsewhere. */
    private static RenderedHeatmap twoCells(HeatmapOptions options) {
        DecodedImage grey = RenderFixtures.uniform(64, 64, GREY);
        Attribution a = RenderFixtures.patches("occlusion", 8, 8, 8, RenderFixtures.sparse(8, 8, new float[] {2, 3, 1f}, new float[] {5, 1, -1f}), 0);
        return new HeatmapRenderer(options).render(grey, ScoreGrid.of(a, ImageGeometry.identity(64, 64)), null);
    }

    @Test
    void positiveCellIsRedNegativeCellBlueTheRestUntouched(@TempDir Path dir) throws Exception {
        RenderedHeatmap r = twoCells(HeatmapOptions.defaults());
        // The 64×64 original is shown at 256×256 (factor 4), with padding and a colour bar on the right.
        assertEquals(256, r.display().width());
        assertEquals(256, r.display().height());
        assertEquals(HeatmapRenderer.PADDING, r.imageLeft());
        assertEquals(HeatmapRenderer.PADDING, r.imageTop());
        Path png = dir.resolve("h.png");
        HeatmapRenderer.writePng(r.image(), png);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(256 + 2 * HeatmapRenderer.PADDING, img.getHeight());
        assertTrue(img.getWidth() > 256 + 2 * HeatmapRenderer.PADDING + HeatmapRenderer.BAR_GAP + ColourBar.BAR_WIDTH + 20,
                "room for the colour bar and its labels: width " + img.getWidth());

        int left = r.imageLeft();
        int top = r.imageTop();
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                if (x % 32 == 0 || y % 32 == 0) {
                    continue; // grid lines, checked below
                }
                int px = img.getRGB(left + x, top + y) & 0xffffff;
                int row = y / 32;
                int col = x / 32;
                if (row == 2 && col == 3) {
                    assertTrue(reddish(px), "positive cell at display (" + x + ", " + y + ") is " + hex(px));
                } else if (row == 5 && col == 1) {
                    assertTrue(bluish(px), "negative cell at display (" + x + ", " + y + ") is " + hex(px));
                } else {
                    assertEquals(0x808080, px, "zero-score pixel at display (" + x + ", " + y + ") changed: " + hex(px));
                }
            }
        }
        // Faint grid: interior cell edges are darker than the grey, but still close to it.
        int line = img.getRGB(left + 32, top + 16) & 0xffffff;
        assertTrue(red(line) < GREY && red(line) > GREY - 50, "grid line pixel " + hex(line));
        // The original's edge (x = 0) carries no line.
        assertEquals(0x808080, img.getRGB(left, top + 16) & 0xffffff);
        // Both cells reach the end colours: the percentiles clip at ±0.685, below ±1.
        assertEquals(1.0, r.scale().normalise(1.0));
        assertTrue(r.scale().clippedHigh() && r.scale().clippedLow());
    }

    @Test
    void pngPositionHelperMatchesOriginalCoordinates() {
        RenderedHeatmap r = twoCells(HeatmapOptions.defaults());
        // Centre of the positive cell in original pixels: x = 3·8 + 4, y = 2·8 + 4.
        int rgb = r.image().getRGB(r.pngX(28), r.pngY(20));
        assertTrue(reddish(rgb), hex(rgb));
        assertEquals(HeatmapRenderer.PADDING + 28 * 4, r.pngX(28));
    }

    @Test
    void colourBarRunsFromRedToBlueWithRawValueLabels() {
        RenderedHeatmap r = twoCells(HeatmapOptions.defaults());
        BufferedImage img = r.image();
        int barX = r.imageLeft() + 256 + HeatmapRenderer.BAR_GAP + ColourBar.BAR_WIDTH / 2;
        int top = r.imageTop();
        assertTrue(reddish(img.getRGB(barX, top + 2)), "top of bar " + hex(img.getRGB(barX, top + 2)));
        assertTrue(bluish(img.getRGB(barX, top + 253)), "bottom of bar " + hex(img.getRGB(barX, top + 253)));
        int mid = img.getRGB(barX, top + 128) & 0xffffff;
        assertTrue(red(mid) > 230 && RenderFixtures.blue(mid) > 230, "middle of bar is near white: " + hex(mid));
        // Labels: dark text pixels to the right of the bar.
        int labelsX = r.imageLeft() + 256 + HeatmapRenderer.BAR_GAP + ColourBar.BAR_WIDTH + ColourBar.TICK_LENGTH;
        int dark = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = labelsX; x < img.getWidth(); x++) {
                if (red(img.getRGB(x, y)) < 120) {
                    dark++;
                }
            }
        }
        assertTrue(dark > 50, "tick labels drawn (" + dark + " dark pixels)");
        // The labels are raw scores: the limit is numpy's percentile(|[-1, 0 × 62, 1]|, 99.5) = 0.685.
        List<String> labels = ColourBar.ticks(r.scale(), 256, 14).stream().map(ColourBar.Tick::label).toList();
        assertEquals(List.of("\u2265 0.685", "0.343", "0", "-0.343", "\u2264 -0.685"), labels);
    }

    @Test
    void centreCropMapsTheGridOntoTheMiddleOfTheOriginalAndDimsTheRest() {
        // A 100×50 original, centre-cropped to a 64×64 input: resized to 128×64, columns 32..96 kept,
        // so the model saw original x in [25, 75).
        ImageGeometry geometry = new ImageGeometry(100, 50, 128, 64, 0, 32);
        Attribution a = RenderFixtures.patches("saliency", 8, 8, 8, RenderFixtures.sparse(8, 8, new float[] {0, 0, 2f}), 1);
        ScoreGrid byUnits = ScoreGrid.of(a, RenderFixtures.units(a, geometry));
        ScoreGrid byGeometry = ScoreGrid.of(a, geometry);
        assertEquals(25.0, byUnits.left(), 1e-6);
        assertEquals(75.0, byUnits.right(), 1e-6);
        assertEquals(byGeometry.left(), byUnits.left(), 1e-4);
        assertEquals(byGeometry.bottom(), byUnits.bottom(), 1e-4);

        RenderedHeatmap r = new HeatmapRenderer().render(RenderFixtures.uniform(100, 50, GREY), byUnits, "saliency");
        assertEquals(600, r.display().width()); // factor ceil(256 / 50) = 6
        assertEquals(300, r.display().height());
        assertTrue(r.imageTop() > HeatmapRenderer.PADDING, "the caption takes room above the image");
        // Cell (0, 0) covers original x in [25, 31.25), y in [0, 6.25).
        assertTrue(reddish(r.image().getRGB(r.pngX(28), r.pngY(3))), hex(r.image().getRGB(r.pngX(28), r.pngY(3))));
        // Original x = 10 was cropped away: dimmed grey, no colour.
        int outside = r.image().getRGB(r.pngX(10), r.pngY(25)) & 0xffffff;
        int dim = (int) Math.round(GREY * Overlay.OUTSIDE_DIM);
        assertEquals(dim << 16 | dim << 8 | dim, outside, hex(outside));
        // Original x = 50 (inside, zero score, not on a line): untouched.
        assertEquals(0x808080, r.image().getRGB(r.pngX(52), r.pngY(20)) & 0xffffff);
    }

    @Test
    void bilinearSpreadsTheScoreBetweenCellCentres() {
        HeatmapOptions bilinear = HeatmapOptions.builder().upsampling(OverlayUpsampling.BILINEAR).drawGrid(false).build();
        RenderedHeatmap smooth = twoCells(bilinear);
        RenderedHeatmap sharp = twoCells(HeatmapOptions.builder().drawGrid(false).build());
        // Original pixel centres: cell (2, 3) spans x 24..32; its centre is x = 28; the edge pixel is x = 31.
        int centre = smooth.image().getRGB(smooth.pngX(28), smooth.pngY(20));
        int edge = smooth.image().getRGB(smooth.pngX(31.9), smooth.pngY(20));
        int neighbourCentre = smooth.image().getRGB(smooth.pngX(36), smooth.pngY(20));
        assertTrue(reddish(centre), hex(centre));
        assertTrue(red(edge) - RenderFixtures.blue(edge) < red(centre) - RenderFixtures.blue(centre),
                "bilinear fades toward the edge: centre " + hex(centre) + ", edge " + hex(edge));
        assertTrue(red(edge) - RenderFixtures.blue(edge) > 10, "edge still tinted: " + hex(edge));
        assertEquals(0x808080, neighbourCentre & 0xffffff, "neighbour's centre has score 0");
        // Nearest keeps the full colour up to the edge.
        assertEquals(sharp.image().getRGB(sharp.pngX(28), sharp.pngY(20)), sharp.image().getRGB(sharp.pngX(31.9), sharp.pngY(20)));
    }

    @Test
    void allZeroScoresLeaveTheImageAsItIs() {
        DecodedImage disk = RenderFixtures.disk(64, 64, 30, 34, 14);
        Attribution zero = RenderFixtures.patches("saliency", 8, 8, 8, new float[64], 0);
        HeatmapRenderer renderer = new HeatmapRenderer(HeatmapOptions.builder().drawGrid(false).build());
        RenderedHeatmap r = renderer.render(disk, ScoreGrid.of(zero, ImageGeometry.identity(64, 64)), null);
        BufferedImage original = renderer.renderOriginal(disk);
        for (int y = 0; y < 256; y += 3) {
            for (int x = 0; x < 256; x += 3) {
                assertEquals(original.getRGB(x, y), r.image().getRGB(r.imageLeft() + x, r.imageTop() + y));
            }
        }
    }

    @Test
    void largeImagesAreShrunkAndSmallOnesEnlargedByWholeFactors() {
        assertEquals(new DisplayScale(2048, 1024, 1024, 512), DisplayScale.of(2048, 1024, 256, 1024));
        assertEquals(new DisplayScale(64, 48, 384, 288), DisplayScale.of(64, 48, 256, 1024));
        assertEquals(new DisplayScale(500, 400, 500, 400), DisplayScale.of(500, 400, 256, 1024));
        // A long strip is not enlarged past the long-side limit.
        assertEquals(new DisplayScale(600, 20, 600, 20), DisplayScale.of(600, 20, 256, 1024));
    }

    @Test
    void optionsAreValidatedWithMessagesThatSayWhatToDo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HeatmapOptions.builder().percentiles(99, 1).build());
        assertTrue(e.getMessage().contains("0 ≤ low < high ≤ 100"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HeatmapOptions.builder().maxAlpha(0).build());
        assertThrows(IllegalArgumentException.class, () -> HeatmapOptions.builder().displaySides(512, 256).build());
        HeatmapOptions d = HeatmapOptions.defaults();
        assertEquals(0.5, d.lowPercentile());
        assertEquals(99.5, d.highPercentile());
        assertEquals(OverlayUpsampling.NEAREST, d.upsamplingFor(dev.vitex.core.grid.Granularity.PATCH));
        assertEquals(OverlayUpsampling.BILINEAR, d.upsamplingFor(dev.vitex.core.grid.Granularity.PIXEL));
        assertEquals(d, d.toBuilder().build());
    }

    @Test
    void pngFileIsReadableWithTheRenderedSize(@TempDir Path dir) throws Exception {
        RenderedHeatmap r = twoCells(HeatmapOptions.defaults());
        Path png = dir.resolve("sub/dir/x.png");
        HeatmapRenderer.writePng(r.image(), png);
        assertTrue(Files.size(png) > 0);
        BufferedImage back = ImageIO.read(png.toFile());
        assertEquals(r.image().getWidth(), back.getWidth());
        assertEquals(r.image().getRGB(r.pngX(28), r.pngY(20)), back.getRGB(r.pngX(28), r.pngY(20)));
    }
}
