package dev.vitex.core.metric;

/** An axis-aligned box in model-input pixels, half-open: {@code [y0, y1) × [x0, x1)}. */
public record Box(int y0, int x0, int y1, int x1) {
    public Box {
        if (y1 <= y0 || x1 <= x0) {
            throw new IllegalArgumentException("empty box [" + y0 + ", " + y1 + ") × [" + x0 + ", " + x1 + ")");
        }
    }

    /** Area of the intersection with {@code [cy0, cy1) × [cx0, cx1)}. */
    public int overlap(int cy0, int cx0, int cy1, int cx1) {
        int dy = Math.min(y1, cy1) - Math.max(y0, cy0);
        int dx = Math.min(x1, cx1) - Math.max(x0, cx0);
        return dy > 0 && dx > 0 ? dy * dx : 0;
    }
}
