package dev.vitex.core.perturb;

import java.util.SplittableRandom;

/**
 * RISE's random masks (Petsiuk et al. 2018): an s × s grid whose cells are kept with probability
 * p, upsampled bilinearly (torch's {@code interpolate(..., align_corners=False)}) to
 * (s+1)·⌈H/s⌉ × (s+1)·⌈W/s⌉ and cropped to H × W at a random shift in [0, ⌈H/s⌉) × [0, ⌈W/s⌉).
 * Values are keep-weights in [0, 1] (1 = kept), the paper's M.
 */
public final class RiseMasks {
    private final int s;
    private final double keepProbability;
    private final int height;
    private final int width;
    private final int cellHeight;
    private final int cellWidth;
    private final float[] rowMatrix; // (s+1)·cellHeight × s
    private final float[] colMatrix; // (s+1)·cellWidth × s

    /** One mask's random draws: the s × s kept-indicators (row-major) and the crop shift. */
    public record Draw(float[] grid, int dy, int dx) {}

    public RiseMasks(int s, double keepProbability, int height, int width) {
        if (s < 1 || s > Math.min(height, width)) {
            throw new IllegalArgumentException("RISE grid s must be in 1.." + Math.min(height, width) + ", got " + s);
        }
        if (!(keepProbability > 0 && keepProbability < 1)) {
            throw new IllegalArgumentException("RISE keep probability must be in (0, 1), got " + keepProbability);
        }
        this.s = s;
        this.keepProbability = keepProbability;
        this.height = height;
        this.width = width;
        this.cellHeight = (height + s - 1) / s;
        this.cellWidth = (width + s - 1) / s;
        this.rowMatrix = MaskUpsampling.BILINEAR.matrix(s, (s + 1) * cellHeight);
        this.colMatrix = MaskUpsampling.BILINEAR.matrix(s, (s + 1) * cellWidth);
    }

    /** Draws one mask from {@code rng}: s² uniform draws for the cells (row-major), then dy, then dx. */
    public Draw draw(SplittableRandom rng) {
        float[] grid = new float[s * s];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = rng.nextDouble() < keepProbability ? 1f : 0f;
        }
        int dy = rng.nextInt(cellHeight);
        int dx = rng.nextInt(cellWidth);
        return new Draw(grid, dy, dx);
    }

    /** Writes the H × W keep-weights of {@code draw} into {@code out}. */
    public void fill(Draw draw, float[] out) {
        if (draw.grid().length != s * s || draw.dy() < 0 || draw.dy() >= cellHeight || draw.dx() < 0
                || draw.dx() >= cellWidth) {
            throw new IllegalArgumentException("a RISE draw needs " + s * s + " cells and a shift within "
                    + cellHeight + "×" + cellWidth);
        }
        float[] tmp = new float[s * width]; // grid · colMatrixᵀ over the cropped columns
        for (int i = 0; i < s; i++) {
            for (int x = 0; x < width; x++) {
                int col = (x + draw.dx()) * s;
                double v = 0;
                for (int j = 0; j < s; j++) {
                    v += draw.grid()[i * s + j] * colMatrix[col + j];
                }
                tmp[i * width + x] = (float) v;
            }
        }
        for (int y = 0; y < height; y++) {
            int row = (y + draw.dy()) * s;
            for (int x = 0; x < width; x++) {
                double v = 0;
                for (int i = 0; i < s; i++) {
                    v += rowMatrix[row + i] * tmp[i * width + x];
                }
                out[y * width + x] = (float) v;
            }
        }
    }
}
