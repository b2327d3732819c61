package dev.vitex.core.render;

import dev.vitex.core.grid.Granularity;
import dev.vitex.core.grid.Unit;
import dev.vitex.core.image.ImageGeometry;
import dev.vitex.core.method.Attribution;
import java.util.List;

/**
 * A grid of scores placed on the ORIGINAL image: {@code rows × cols} equal cells (row-major scores)
 * covering the box {@code [top, bottom) × [left, right)} in original-image pixel coordinates.
 *
 * <p>Auditors look at the original image, not the model input; the preprocessing's resize and
 * crop map the model-input grid onto an axis-aligned box of the original (the whole image for
 * {@code crop = none}, its centre for {@code crop = center}). Because that map is affine, the
 * outer box and the cell counts describe every unit's original box.
 */
public record ScoreGrid(Granularity granularity, int rows, int cols, float[] scores,
                        double top, double left, double bottom, double right) {

    public ScoreGrid {
        if (rows < 1 || cols < 1 || scores.length != rows * cols) {
            throw new IllegalArgumentException(scores.length + " scores for a " + rows + "×" + cols + " grid");
        }
        if (!(bottom > top) || !(right > left)) {
            throw new IllegalArgumentException("empty grid box [" + top + ", " + bottom + ") × [" + left + ", " + right + ")");
        }
    }

    /**
     * The grid of {@code attribution} placed by its units' original-image boxes (the {@code units}
     * column of the Parquet output, or {@code UnitGrid.units(geometry)}), row-major.
     */
    public static ScoreGrid of(Attribution attribution, List<Unit> units) {
        int rows = attribution.gridHeight();
        int cols = attribution.gridWidth();
        if (units.size() != rows * cols) {
            throw new IllegalArgumentException(attribution.method() + ": " + units.size() + " units for a "
                    + rows + "×" + cols + " grid");
        }
        Unit first = units.get(0);
        Unit last = units.get(units.size() - 1);
        if (first.row() != 0 || first.col() != 0 || last.row() != rows - 1 || last.col() != cols - 1) {
            throw new IllegalArgumentException(attribution.method() + ": units are not row-major from (0, 0) to ("
                    + (rows - 1) + ", " + (cols - 1) + ")");
        }
        return new ScoreGrid(attribution.granularity(), rows, cols, attribution.scores(),
                first.oy0(), first.ox0(), last.oy1(), last.ox1());
    }

    /** The grid of {@code attribution} placed through the preprocessing's {@code geometry}. */
    public static ScoreGrid of(Attribution attribution, ImageGeometry geometry) {
        double h = (double) attribution.gridHeight() * attribution.cellSize();
        double w = (double) attribution.gridWidth() * attribution.cellSize();
        return new ScoreGrid(attribution.granularity(), attribution.gridHeight(), attribution.gridWidth(),
                attribution.scores(), geometry.toOriginalY(0), geometry.toOriginalX(0),
                geometry.toOriginalY(h), geometry.toOriginalX(w));
    }

    public float score(int row, int col) {
        return scores[row * cols + col];
    }

    /** Continuous column coordinate (0 = left edge of column 0) of original-image x. */
    double column(double x) {
        return (x - left) / (right - left) * cols;
    }

    /** Continuous row coordinate (0 = top edge of row 0) of original-image y. */
    double row(double y) {
        return (y - top) / (bottom - top) * rows;
    }

    /** Original-image x of the left edge of column {@code c} (c = cols is the right edge). */
    double columnEdge(int c) {
        return left + (right - left) * c / cols;
    }

    /** Original-image y of the top edge of row {@code r} (r = rows is the bottom edge). */
    double rowEdge(int r) {
        return top + (bottom - top) * r / rows;
    }
}
