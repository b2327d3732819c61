package dev.vitex.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Channel reduction (methods.md § Channel reduction) on a hand-written 3×1×3 map, in closed form. */
class ChannelReduceTest {
    // channel-major: three channels of one row of three pixels
    private static final double[] MAP = {
        1.0, -2.0, 0.5,
        -3.0, 4.0, 0.0,
        2.0, -6.0, -1.5};

    @Test
    void closedForms() {
        assertArrayEquals(new float[] {0f, -4f / 3, -1f / 3}, ChannelReduce.MEAN.apply(MAP, 3, 1, 3), 1e-7f);
        assertArrayEquals(new float[] {0f, -4f, -1f}, ChannelReduce.SUM.apply(MAP, 3, 1, 3), 1e-7f);
        assertArrayEquals(new float[] {2f, 4f, 2f / 3}, ChannelReduce.ABS_MEAN.apply(MAP, 3, 1, 3), 1e-7f);
        assertArrayEquals(new float[] {3f, 6f, 1.5f}, ChannelReduce.MAX_ABS.apply(MAP, 3, 1, 3), 1e-7f);
    }

    @Test
    void namesParseAndBadOnesListTheChoices() {
        assertTrue(ChannelReduce.parse(" Abs_Mean ") == ChannelReduce.ABS_MEAN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChannelReduce.parse("median"));
        assertTrue(e.getMessage().contains("max_abs") && e.getMessage().contains("median"), e.getMessage());
    }
}
