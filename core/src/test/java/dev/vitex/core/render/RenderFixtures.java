package dev.vitex.core.render;

import dev.vitex.core.grid.Granularity;
import dev.vitex.core.grid.Unit;
import dev.vitex.core.grid.UnitGrid;
import dev.vitex.core.image.DecodedImage;
import dev.vitex.core.image.ImageGeometry;
import dev.vitex.core.method.Attribution;
import java.util.Arrays;
import java.util.List;

/** Hand-made images and attributions whose rendering is known pixel by pixel. */
public final class RenderFixtures {
    private RenderFixtures() {}

    public static DecodedImage uniform(int width, int height, float value) {
        float[] rgb = new float[3 * width * height];
        Arrays.fill(rgb, value);
        return new DecodedImage(width, height, rgb);
    }

    /** A bright disk on a dark background, with a coloured tint so the screenshot shows real content. */
    public static DecodedImage disk(int width, int height, double cy, double cx, double radius) {
        int plane = width * height;
        float[] rgb = new float[3 * plane];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                boolean in = Math.hypot(y + 0.5 - cy, x + 0.5 - cx) <= radius;
                int i = y * width + x;
                rgb[i] = in ? 235 : 40;
                rgb[plane + i] = in ? 200 : 60;
                rgb[2 * plane + i] = in ? 90 : 80;
            }
        }
        return new DecodedImage(width, height, rgb);
    }

    /** A PATCH attribution of {@code rows × cols} cells of {@code cell} pixels with the given scores. */
    public static Attribution patches(String method, int rows, int cols, int cell, float[] scores, int target) {
        return new Attribution(method, "{}", Granularity.PATCH, rows, cols, cell, scores, target, 0.9f, 1, null);
    }

    /** Zero everywhere except the listed (row, col, value) triples. */
    public static float[] sparse(int rows, int cols, float[]... cells) {
        float[] s = new float[rows * cols];
        for (float[] c : cells) {
            s[(int) c[0] * cols + (int) c[1]] = c[2];
        }
        return s;
    }

    /** A smooth blob of positive scores around (cy, cx) in grid units and a negative one around (ny, nx). */
    public static float[] blobs(int rows, int cols, double cy, double cx, double ny, double nx, double scale) {
        float[] s = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double pos = Math.exp(-(Math.pow(r - cy, 2) + Math.pow(c - cx, 2)) / 3.0);
                double neg = Math.exp(-(Math.pow(r - ny, 2) + Math.pow(c - nx, 2)) / 2.0);
                s[r * cols + c] = (float) (scale * (pos - 0.6 * neg));
            }
        }
        return s;
    }

    public static List<Unit> units(Attribution a, ImageGeometry geometry) {
        return new UnitGrid(a.granularity(), a.cellSize(), a.gridHeight() * a.cellSize(), a.gridWidth() * a.cellSize())
                .units(geometry);
    }

    public static int red(int rgb) {
        return rgb >> 16 & 0xff;
    }

    public static int green(int rgb) {
        return rgb >> 8 & 0xff;
    }

    public static int blue(int rgb) {
        return rgb & 0xff;
    }

    public static boolean reddish(int rgb) {
        return red(rgb) - blue(rgb) > 60 && red(rgb) - green(rgb) > 60;
    }

    public static boolean bluish(int rgb) {
        return blue(rgb) - red(rgb) > 60;
    }

    public static String hex(int rgb) {
        return String.format("#%06x", rgb & 0xffffff);
    }
}
