package dev.vitex.core.grid;

/**
 * One cell of the attribution grid: its grid position, its half-open pixel box
 * {@code [y0, y1) × [x0, x1)} in model-input space, and the same box in the original image
 * (continuous coordinates, through the preprocessing's resize and crop).
 */
public record Unit(int row, int col, int y0, int x0, int y1, int x1,
                   float oy0, float ox0, float oy1, float ox1) {}
