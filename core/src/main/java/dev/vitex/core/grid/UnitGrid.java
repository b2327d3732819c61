package dev.vitex.core.grid;

import dev.vitex.core.image.ImageGeometry;
import dev.vitex.core.image.ResampleFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * The grid of units over a model input of {@code inputHeight×inputWidth}: square cells of
 * {@code cellSize} pixels (PATCH) or single pixels (PIXEL, cell size 1). Units are row-major.
 */
public record UnitGrid(Granularity granularity, int cellSize, int inputHeight, int inputWidth) {

    public UnitGrid {
        if (granularity == Granularity.PIXEL && cellSize != 1) {
            throw new IllegalArgumentException("a PIXEL grid has cell size 1, got " + cellSize);
        }
        if (cellSize < 1 || inputHeight % cellSize != 0 || inputWidth % cellSize != 0) {
            throw new IllegalArgumentException("cell_size " + cellSize + " must divide the input size "
                    + inputHeight + "×" + inputWidth + " (allowed: a divisor of both, e.g. the patch size)");
        }
    }

    public static UnitGrid patches(int cellSize, int inputHeight, int inputWidth) {
        return new UnitGrid(Granularity.PATCH, cellSize, inputHeight, inputWidth);
    }

    public static UnitGrid pixels(int inputHeight, int inputWidth) {
        return new UnitGrid(Granularity.PIXEL, 1, inputHeight, inputWidth);
    }

    public int rows() {
        return inputHeight / cellSize;
    }

    public int cols() {
        return inputWidth / cellSize;
    }

    public int size() {
        return rows() * cols();
    }

    /** Every unit with its boxes, row-major. */
    public List<Unit> units(ImageGeometry geometry) {
        List<Unit> units = new ArrayList<>(size());
        for (int r = 0; r < rows(); r++) {
            for (int c = 0; c < cols(); c++) {
                int y0 = r * cellSize;
                int x0 = c * cellSize;
                int y1 = y0 + cellSize;
                int x1 = x0 + cellSize;
                units.add(new Unit(r, c, y0, x0, y1, x1,
                        (float) geometry.toOriginalY(y0), (float) geometry.toOriginalX(x0),
                        (float) geometry.toOriginalY(y1), (float) geometry.toOriginalX(x1)));
            }
        }
        return units;
    }

    /** Resizes a pixel map (inputHeight×inputWidth) to this grid with {@code resize}. */
    public float[] fromPixels(float[] pixelMap, ResampleFilter resize) {
        if (granularity == Granularity.PIXEL) {
            return pixelMap.clone();
        }
        return resize.apply(pixelMap, 1, inputHeight, inputWidth, rows(), cols());
    }
}
