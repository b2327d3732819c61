package dev.vitex.core.perturb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The scrambled design keeps what makes Sobol' points useful: with 2^m designs, every coordinate
 * has exactly one point in each interval [i/2^m, (i+1)/2^m) (the (0, m, 1)-net property, which a
 * linear scramble with digital shift preserves), and pairs of coordinates stay balanced on the
 * 2^m elementary boxes of the first dimensions. And the seed changes the design.
 */
class SobolDesignTest {

    @Test
    void everyCoordinateIsStratified() {
        int k = 32;
        int g = 40;
        SobolDesign d = new SobolDesign(k, g, new SplittableRandom(1));
        for (int j = 0; j < g; j++) {
            int[] aBins = new int[k];
            int[] bBins = new int[k];
            for (int r = 0; r < k; r++) {
                double a = d.a(r, j);
                double b = d.b(r, j);
                assertTrue(a >= 0 && a < 1 && b >= 0 && b < 1);
                aBins[(int) (a * k)]++;
                bBins[(int) (b * k)]++;
            }
            for (int i = 0; i < k; i++) {
                assertEquals(1, aBins[i], "A column " + j + " bin " + i);
                assertEquals(1, bBins[i], "B column " + j + " bin " + i);
            }
        }
    }

    @Test
    void firstTwoDimensionsFormANet() {
        // Sobol' dimensions 1 and 2 form a (0, m, 2)-net: every 2^a × 2^(m−a) box holds one point.
        int m = 5;
        int k = 1 << m;
        SobolDesign d = new SobolDesign(k, 3, new SplittableRandom(3));
        for (int a = 0; a <= m; a++) {
            int rows = 1 << a;
            int cols = 1 << (m - a);
            int[][] bins = new int[rows][cols];
            for (int r = 0; r < k; r++) {
                bins[(int) (d.a(r, 0) * rows)][(int) (d.a(r, 1) * cols)]++;
            }
            for (int[] line : bins) {
                for (int c : line) {
                    assertEquals(1, c, "box count for split " + a);
                }
            }
        }
    }

    @Test
    void seedChangesTheDesign() {
        SobolDesign one = new SobolDesign(8, 4, new SplittableRandom(1));
        SobolDesign same = new SobolDesign(8, 4, new SplittableRandom(1));
        SobolDesign other = new SobolDesign(8, 4, new SplittableRandom(2));
        assertEquals(one.a(3, 2), same.a(3, 2));
        assertNotEquals(one.a(3, 2), other.a(3, 2));
    }

    @Test
    void refusesMoreDimensionsThanTheDirectionNumbersCover() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SobolDesign(4, 501, new SplittableRandom(1)));
        assertTrue(e.getMessage().contains("1000"), e.getMessage());
    }
}
