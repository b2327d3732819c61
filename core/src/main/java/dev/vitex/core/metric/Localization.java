package dev.vitex.core.metric;

import dev.vitex.core.method.Attribution;

/**
 * Localisation scores against a known object box (methods.md § Quality metrics), for data with
 * ground truth such as the test fixture. Boxes are in model-input pixels; units are the
 * attribution's cells.
 */
public final class Localization {
    private Localization() {}

    /**
     * Pointing game (Zhang et al. 2016) on cells: a hit when the highest-scoring unit (first in
     * grid order on ties) overlaps the box. A cell map has no finer maximum than its cell, so
     * overlap is the cell-level analogue of "the maximum point lies on the object".
     */
    public static boolean pointingGame(Attribution a, Box box) {
        int top = a.argmax();
        int row = top / a.gridWidth();
        int col = top % a.gridWidth();
        int s = a.cellSize();
        return box.overlap(row * s, col * s, (row + 1) * s, (col + 1) * s) > 0;
    }

    /**
     * Fraction of the positive attribution mass inside the box: each unit's positive score counts
     * in proportion to the part of its cell that lies in the box. 0 when nothing is positive.
     */
    public static double massInBox(Attribution a, Box box) {
        int s = a.cellSize();
        double inside = 0;
        double total = 0;
        for (int row = 0; row < a.gridHeight(); row++) {
            for (int col = 0; col < a.gridWidth(); col++) {
                double v = a.score(row, col);
                if (v > 0) {
                    total += v;
                    inside += v * box.overlap(row * s, col * s, (row + 1) * s, (col + 1) * s) / (double) (s * s);
                }
            }
        }
        return total > 0 ? inside / total : 0.0;
    }
}
