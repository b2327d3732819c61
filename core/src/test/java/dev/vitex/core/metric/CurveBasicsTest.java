package dev.vitex.core.metric;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vitex.core.grid.Granularity;
import dev.vitex.core.method.Attribution;
import org.junit.jupiter.api.Test;

/** Ranking, schedules, trapezoids and localisation on hand-made values. */
class CurveBasicsTest {

    @Test
    void rankingIsDescendingStableAndPutsNanLast() {
        assertArrayEquals(new int[] {1, 3, 0, 4, 2},
                UnitRanking.descending(new float[] {0.5f, 2f, Float.NaN, 2f, -1f}));
    }

    @Test
    void scheduleHasEqualIncrementsFromNoneToAll() {
        CurveSchedule s = CurveSchedule.of(64, null);
        assertEquals(32, s.steps());
        assertEquals(0, s.count(0));
        assertEquals(2, s.count(1));
        assertEquals(64, s.count(32));
        assertEquals(9, CurveSchedule.of(9, null).steps());
        CurveSchedule uneven = new CurveSchedule(10, 4);
        assertArrayEquals(new int[] {0, 2, 5, 7, 10},
                new int[] {uneven.count(0), uneven.count(1), uneven.count(2), uneven.count(3), uneven.count(4)});
    }

    @Test
    void trapezoid() {
        assertEquals(0.5, Auc.trapezoid(new double[] {0, 1}, new float[] {0, 1}), 1e-12);
        assertEquals(0.75, Auc.trapezoid(new double[] {0, 0.5, 1}, new float[] {1, 1, 0}), 1e-12);
    }

    @Test
    void deletionAndInsertionMasks() {
        int[] ranking = {2, 0, 1};
        float[] del = new float[3];
        Deletion.INSTANCE.fill(ranking, 2, del);
        assertArrayEquals(new float[] {1, 0, 1}, del);
        float[] ins = new float[3];
        Insertion.INSTANCE.fill(ranking, 1, ins);
        assertArrayEquals(new float[] {1, 1, 0}, ins);
    }

    @Test
    void localisation() {
        // 2×2 grid of 8-pixel cells; the box covers the right half of cell (0,1) and all of nothing else.
        Attribution a = new Attribution("t", "{}", Granularity.PATCH, 2, 2, 8,
                new float[] {1f, 3f, -5f, 0f}, 0, 0f, 0, null);
        Box box = new Box(0, 12, 8, 16);
        assertTrue(Localization.pointingGame(a, box));
        assertEquals(3.0 * 0.5 / 4.0, Localization.massInBox(a, box), 1e-12);
        assertFalse(Localization.pointingGame(a, new Box(8, 0, 16, 8)));
    }
}
