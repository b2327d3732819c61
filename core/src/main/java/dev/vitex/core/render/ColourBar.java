package dev.vitex.core.render;

import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.util.ArrayList;
import java.util.List;

/**
 * The vertical colour bar beside a heatmap: the colormap from +limit (top) to −limit (bottom) with
 * tick labels in RAW score units, so a reader can tell a gradient of 1e-4 from a probability drop
 * of 0.3. An end label gets "≥"/"≤" when scores beyond it were clipped to the end colour.
 */
final class ColourBar {
    static final int BAR_WIDTH = 14;
    static final int TICK_LENGTH = 4;
    static final int LABEL_GAP = 3;

    private ColourBar() {}

    /** A tick: its position from the top (0 = top, 1 = bottom) and its label. */
    record Tick(double position, String label) {}

    /** Five ticks at ±limit, ±limit/2 and 0 (three when the bar is too short for five labels). */
    static List<Tick> ticks(ScoreScale scale, int height, int lineHeight) {
        double l = scale.limit();
        boolean five = height >= 5 * (lineHeight + 4);
        List<Tick> ticks = new ArrayList<>();
        ticks.add(new Tick(0.0, (scale.clippedHigh() ? "\u2265 " : "") + ScoreFormat.format(l)));
        if (five) {
            ticks.add(new Tick(0.25, ScoreFormat.format(l / 2)));
        }
        ticks.add(new Tick(0.5, "0"));
        if (five) {
            ticks.add(new Tick(0.75, ScoreFormat.format(-l / 2)));
        }
        ticks.add(new Tick(1.0, (scale.clippedLow() ? "\u2264 " : "") + ScoreFormat.format(-l)));
        return ticks;
    }

    /**
     * The widest label {@link ScoreFormat} makes for a clipped end. Reserving it keeps every PNG of
     * one image the same width whatever its scores, so report thumbnails line up at one scale.
     */
    static final String WIDEST_LABEL = "\u2264 -8.88e-88";

    /** Total width of bar, ticks and labels (at least room for {@link #WIDEST_LABEL}). */
    static int width(List<Tick> ticks, FontMetrics metrics) {
        int widest = metrics.stringWidth(WIDEST_LABEL);
        for (Tick t : ticks) {
            widest = Math.max(widest, metrics.stringWidth(t.label()));
        }
        return BAR_WIDTH + TICK_LENGTH + LABEL_GAP + widest;
    }

    /** Draws the bar with its top-left corner at (x, y), {@code height} pixels tall. */
    static void draw(Graphics2D g, int x, int y, int height, List<Tick> ticks) {
        for (int row = 0; row < height; row++) {
            double t = height == 1 ? 0 : 1.0 - 2.0 * row / (height - 1);
            g.setColor(new Color(DivergingColormap.rgb(t)));
            g.fillRect(x, y + row, BAR_WIDTH, 1);
        }
        g.setColor(new Color(0x555555));
        g.drawRect(x, y, BAR_WIDTH - 1, height - 1);
        FontMetrics metrics = g.getFontMetrics();
        int textShift = (metrics.getAscent() - metrics.getDescent()) / 2;
        g.setColor(new Color(0x222222));
        for (Tick t : ticks) {
            int ty = y + (int) Math.round(t.position() * (height - 1));
            g.drawLine(x + BAR_WIDTH, ty, x + BAR_WIDTH + TICK_LENGTH - 1, ty);
            g.drawString(t.label(), x + BAR_WIDTH + TICK_LENGTH + LABEL_GAP, ty + textShift);
        }
    }
}
