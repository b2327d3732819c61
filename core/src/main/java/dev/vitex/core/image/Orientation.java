package dev.vitex.core.image;

/**
 * The eight EXIF orientations (tag 0x0112, values 1..8): how the stored pixels must be turned for
 * a viewer to show the image upright. Maps rectangles and rasters between displayed coordinates
 * (what a viewer shows, what the model sees) and stored coordinates (what the decoder reads).
 */
public enum Orientation {
    NORMAL(false, false, false),
    FLIP_HORIZONTAL(false, true, false),
    ROTATE_180(false, true, true),
    FLIP_VERTICAL(false, false, true),
    TRANSPOSE(true, false, false),
    ROTATE_90_CW(true, false, true),
    TRANSVERSE(true, true, true),
    ROTATE_90_CCW(true, true, false);

    /** Displayed x reads stored y (and y reads x). */
    private final boolean swap;
    /** Stored x runs against the displayed axis it comes from. */
    private final boolean flipStoredX;
    /** Stored y runs against the displayed axis it comes from. */
    private final boolean flipStoredY;

    Orientation(boolean swap, boolean flipStoredX, boolean flipStoredY) {
        this.swap = swap;
        this.flipStoredX = flipStoredX;
        this.flipStoredY = flipStoredY;
    }

    /** The orientation of an EXIF value; anything outside 1..8 is {@link #NORMAL}. */
    public static Orientation ofExif(int value) {
        return value >= 1 && value <= 8 ? values()[value - 1] : NORMAL;
    }

    public int exifValue() {
        return ordinal() + 1;
    }

    public boolean swapsAxes() {
        return swap;
    }

    /**
     * The stored rectangle {x0, y0, x1, y1} (pixel edges) under a displayed rectangle, for a stored
     * image of {@code storedWidth × storedHeight}.
     */
    public int[] toStored(int[] displayed, int storedWidth, int storedHeight) {
        int dx0 = displayed[0];
        int dy0 = displayed[1];
        int dx1 = displayed[2];
        int dy1 = displayed[3];
        // stored x comes from displayed y when swapped, else from displayed x; likewise stored y
        int ax0 = swap ? dy0 : dx0;
        int ax1 = swap ? dy1 : dx1;
        int by0 = swap ? dx0 : dy0;
        int by1 = swap ? dx1 : dy1;
        int sx0 = flipStoredX ? storedWidth - ax1 : ax0;
        int sx1 = flipStoredX ? storedWidth - ax0 : ax1;
        int sy0 = flipStoredY ? storedHeight - by1 : by0;
        int sy1 = flipStoredY ? storedHeight - by0 : by1;
        return new int[] {sx0, sy0, sx1, sy1};
    }

    /** The displayed rectangle over a stored one (the inverse of {@link #toStored}). */
    public double[] toDisplayed(double[] stored, int storedWidth, int storedHeight) {
        double ax0 = flipStoredX ? storedWidth - stored[2] : stored[0];
        double ax1 = flipStoredX ? storedWidth - stored[0] : stored[2];
        double by0 = flipStoredY ? storedHeight - stored[3] : stored[1];
        double by1 = flipStoredY ? storedHeight - stored[1] : stored[3];
        return swap ? new double[] {by0, ax0, by1, ax1} : new double[] {ax0, by0, ax1, by1};
    }

    /** The stored planar RGB raster turned as a viewer shows it. */
    public DecodedImage display(DecodedImage stored) {
        if (this == NORMAL) {
            return stored;
        }
        int sw = stored.width();
        int sh = stored.height();
        int dw = swap ? sh : sw;
        int dh = swap ? sw : sh;
        float[] src = stored.rgb();
        float[] out = new float[src.length];
        int plane = sw * sh;
        for (int yd = 0; yd < dh; yd++) {
            for (int xd = 0; xd < dw; xd++) {
                int a = swap ? yd : xd;
                int b = swap ? xd : yd;
                int xs = flipStoredX ? sw - 1 - a : a;
                int ys = flipStoredY ? sh - 1 - b : b;
                int from = ys * sw + xs;
                int to = yd * dw + xd;
                out[to] = src[from];
                out[plane + to] = src[plane + from];
                out[2 * plane + to] = src[2 * plane + from];
            }
        }
        return new DecodedImage(dw, dh, out);
    }
}
