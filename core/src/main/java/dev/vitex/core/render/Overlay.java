package dev.vitex.core.render;

import dev.vitex.core.grid.Granularity;
import dev.vitex.core.image.DecodedImage;

/**
 * Blends a score grid onto the original image at display size: each display pixel takes the colour
 * of its score (nearest unit, or bilinear between unit centres) with opacity proportional to
 * |score|. Pixels the model never saw (outside the grid's box, e.g. the margins cut by a centre
 * crop) are dimmed so that no one reads their lack of colour as "unimportant".
 */
final class Overlay {
    /** Brightness kept outside the model's view. */
    static final double OUTSIDE_DIM = 0.45;
    /** Grid lines: opacity of the dark line drawn on each interior cell edge. */
    static final double GRID_ALPHA = 0.22;
    /** Grid lines are left out when cells are narrower than this on screen (they would hide the image). */
    static final int MIN_CELL_FOR_GRID = 6;

    private Overlay() {}

    /** Display-size pixels (0xRRGGBB, row-major). */
    static int[] compose(DecodedImage image, ScoreGrid grid, ScoreScale scale, DisplayScale display, HeatmapOptions options) {
        int w = display.width();
        int h = display.height();
        int plane = w * h;
        float[] base = display.resample(image);
        boolean bilinear = options.upsamplingFor(grid.granularity()) == OverlayUpsampling.BILINEAR;
        double[] gx = new double[w];
        for (int dx = 0; dx < w; dx++) {
            gx[dx] = grid.column(display.originalX(dx));
        }
        double[] gy = new double[h];
        for (int dy = 0; dy < h; dy++) {
            gy[dy] = grid.row(display.originalY(dy));
        }
        // Nearest: colour and opacity are per unit, so they are looked up once per unit, not per pixel.
        int[] unitColour = new int[grid.rows() * grid.cols()];
        double[] unitAlpha = new double[unitColour.length];
        for (int u = 0; u < unitColour.length; u++) {
            double t = scale.normalise(finite(grid.scores()[u]));
            unitColour[u] = DivergingColormap.rgb(t);
            unitAlpha[u] = options.maxAlpha() * Math.abs(t);
        }
        int[] out = new int[plane];
        for (int dy = 0; dy < h; dy++) {
            boolean rowInside = gy[dy] >= 0 && gy[dy] < grid.rows();
            for (int dx = 0; dx < w; dx++) {
                int i = dy * w + dx;
                double r = base[i];
                double g = base[plane + i];
                double b = base[2 * plane + i];
                if (!rowInside || gx[dx] < 0 || gx[dx] >= grid.cols()) {
                    out[i] = pack(r * OUTSIDE_DIM, g * OUTSIDE_DIM, b * OUTSIDE_DIM);
                    continue;
                }
                int c;
                double alpha;
                if (bilinear) {
                    double t = scale.normalise(bilinear(grid, gy[dy], gx[dx]));
                    c = DivergingColormap.rgb(t);
                    alpha = options.maxAlpha() * Math.abs(t);
                } else {
                    int u = (int) gy[dy] * grid.cols() + (int) gx[dx];
                    c = unitColour[u];
                    alpha = unitAlpha[u];
                }
                out[i] = pack(blend(r, c >> 16 & 0xff, alpha), blend(g, c >> 8 & 0xff, alpha), blend(b, c & 0xff, alpha));
            }
        }
        if (options.drawGrid() && grid.granularity() == Granularity.PATCH) {
            drawGrid(out, grid, display);
        }
        return out;
    }

    /** Faint dark lines on interior cell edges, inside the grid's box only. */
    private static void drawGrid(int[] out, ScoreGrid grid, DisplayScale display) {
        int w = display.width();
        int h = display.height();
        double cellW = display.displayX(grid.columnEdge(1)) - display.displayX(grid.columnEdge(0));
        double cellH = display.displayY(grid.rowEdge(1)) - display.displayY(grid.rowEdge(0));
        if (cellW < MIN_CELL_FOR_GRID || cellH < MIN_CELL_FOR_GRID) {
            return;
        }
        int y0 = clampIndex((int) Math.round(display.displayY(grid.top())), h);
        int y1 = clampIndex((int) Math.round(display.displayY(grid.bottom())), h + 1);
        int x0 = clampIndex((int) Math.round(display.displayX(grid.left())), w);
        int x1 = clampIndex((int) Math.round(display.displayX(grid.right())), w + 1);
        for (int c = 1; c < grid.cols(); c++) {
            int x = (int) Math.round(display.displayX(grid.columnEdge(c)));
            if (x >= 0 && x < w) {
                for (int y = y0; y < y1; y++) {
                    darken(out, y * w + x);
                }
            }
        }
        for (int r = 1; r < grid.rows(); r++) {
            int y = (int) Math.round(display.displayY(grid.rowEdge(r)));
            if (y >= 0 && y < h) {
                for (int x = x0; x < x1; x++) {
                    darken(out, y * w + x);
                }
            }
        }
    }

    private static void darken(int[] out, int i) {
        int p = out[i];
        double k = 1.0 - GRID_ALPHA;
        out[i] = pack((p >> 16 & 0xff) * k, (p >> 8 & 0xff) * k, (p & 0xff) * k);
    }

    /** Bilinear between unit centres; beyond the outer centres the edge value is held. */
    private static double bilinear(ScoreGrid grid, double row, double col) {
        double v = Math.max(0, Math.min(grid.rows() - 1, row - 0.5));
        double u = Math.max(0, Math.min(grid.cols() - 1, col - 0.5));
        int r0 = Math.min((int) v, grid.rows() - 1);
        int c0 = Math.min((int) u, grid.cols() - 1);
        int r1 = Math.min(r0 + 1, grid.rows() - 1);
        int c1 = Math.min(c0 + 1, grid.cols() - 1);
        double fv = v - r0;
        double fu = u - c0;
        double top = finite(grid.score(r0, c0)) * (1 - fu) + finite(grid.score(r0, c1)) * fu;
        double bottom = finite(grid.score(r1, c0)) * (1 - fu) + finite(grid.score(r1, c1)) * fu;
        return top * (1 - fv) + bottom * fv;
    }

    private static double finite(float s) {
        return Float.isFinite(s) ? s : 0.0;
    }

    private static int clampIndex(int v, int limit) {
        return Math.max(0, Math.min(limit - 1, v));
    }

    private static double blend(double under, double over, double alpha) {
        return under * (1 - alpha) + over * alpha;
    }

    static int pack(double r, double g, double b) {
        return channel(r) << 16 | channel(g) << 8 | channel(b);
    }

    private static int channel(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }
}
