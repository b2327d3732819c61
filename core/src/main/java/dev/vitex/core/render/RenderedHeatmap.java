package dev.vitex.core.render;

import java.awt.image.BufferedImage;

/**
 * A rendered overlay and where its parts are: the image occupies
 * {@code [imageLeft, imageLeft + display.width()) × [imageTop, imageTop + display.height())} of
 * {@code image}; the colour bar, if any, lies to its right.
 */
public record RenderedHeatmap(BufferedImage image, int imageLeft, int imageTop, DisplayScale display, ScoreScale scale) {

    /** Pixel position in the PNG of the centre of original-image pixel (x, y) — for checks and image maps. */
    public int pngX(double originalX) {
        return imageLeft + (int) Math.floor(display.displayX(originalX));
    }

    public int pngY(double originalY) {
        return imageTop + (int) Math.floor(display.displayY(originalY));
    }
}
