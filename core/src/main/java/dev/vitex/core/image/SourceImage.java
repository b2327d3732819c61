package dev.vitex.core.image;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Locale;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * An encoded image whose header has been read and checked, not yet decoded. Sizes and regions are
 * in displayed coordinates (after the EXIF orientation, when applied); {@link #read} decodes only a
 * region, every {@code step}-th pixel, so the raster stays small whatever the file's size.
 */
public final class SourceImage implements AutoCloseable {
    private final ImageInputStream in;
    private final ImageReader reader;
    private final String format;
    private final int storedWidth;
    private final int storedHeight;
    private final Orientation orientation;

    SourceImage(ImageInputStream in, ImageReader reader, String format, int storedWidth, int storedHeight,
                Orientation orientation) {
        this.in = in;
        this.reader = reader;
        this.format = format;
        this.storedWidth = storedWidth;
        this.storedHeight = storedHeight;
        this.orientation = orientation;
    }

    public String format() {
        return format;
    }

    public Orientation orientation() {
        return orientation;
    }

    public int width() {
        return orientation.swapsAxes() ? storedHeight : storedWidth;
    }

    public int height() {
        return orientation.swapsAxes() ? storedWidth : storedHeight;
    }

    /** The whole image at full resolution. */
    public DecodedImage readAll() {
        return read(0, 0, width(), height(), 1).pixels();
    }

    /**
     * Decodes the displayed rectangle [x0, x1) × [y0, y1) every {@code step}-th pixel. The region
     * actually decoded may be up to {@code step − 1} pixels larger or smaller along an axis (whole
     * steps); the returned origin says where it lies.
     */
    public DecodedRegion read(int x0, int y0, int x1, int y1, int step) {
        int[] s = orientation.toStored(new int[] {x0, y0, x1, y1}, storedWidth, storedHeight);
        int[] xs = wholeSteps(s[0], s[2], storedWidth, step);
        int[] ys = wholeSteps(s[1], s[3], storedHeight, step);
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceRegion(new Rectangle(xs[0], ys[0], xs[1] - xs[0], ys[1] - ys[0]));
        if (step > 1) {
            param.setSourceSubsampling(step, step, step / 2, step / 2); // the middle pixel of each step×step block
        }
        BufferedImage image;
        try {
            image = reader.read(0, param);
        } catch (IOException | RuntimeException e) {
            throw new ImageException("decode", "corrupt or truncated " + format + ": " + ImageDecoder.describe(e), e);
        }
        DecodedImage stored = RasterToRgb.convert(image);
        double[] covered = {xs[0], ys[0], xs[0] + (double) stored.width() * step, ys[0] + (double) stored.height() * step};
        double[] shown = orientation.toDisplayed(covered, storedWidth, storedHeight);
        return new DecodedRegion(orientation.display(stored), shown[0], shown[1], step);
    }

    /** [from, to) widened (or, at the image's edges, narrowed) to a whole number of steps inside [0, size). */
    private static int[] wholeSteps(int from, int to, int size, int step) {
        from = Math.max(0, from);
        to = Math.min(size, to);
        int n = Math.max(1, (to - from + step - 1) / step) * step;
        if (from + n <= size) {
            return new int[] {from, from + n};
        }
        if (size - n >= 0) {
            return new int[] {size - n, size};
        }
        return new int[] {0, size >= step ? size / step * step : size};
    }

    @Override
    public void close() {
        reader.dispose();
        try {
            in.close();
        } catch (IOException e) {
            // a byte-array stream: nothing to release
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %d×%d (%s)", format, width(), height(), orientation);
    }
}
