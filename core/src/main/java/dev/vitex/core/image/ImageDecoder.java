package dev.vitex.core.image;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import java.io.IOException;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Opens encoded PNG, JPEG (incl. CMYK/YCCK/Adobe, with or without ICC profiles), TIFF (incl.
 * 16-bit), WebP (lossy and lossless), BMP and GIF bytes ({@link ImagePlugins}). The header is read
 * and checked against the caps before any pixel is decoded: the pixel count ({@code max_pixels})
 * and the aspect ratio ({@code max_aspect_ratio}). The EXIF orientation is applied unless the
 * options say otherwise, so sizes and pixels are those a viewer shows.
 */
public final class ImageDecoder {
    private static final String FORMATS = "PNG, JPEG, TIFF, WebP, BMP, GIF";
    private final DecodeOptions options;

    public ImageDecoder(DecodeOptions options) {
        this.options = options;
    }

    /** @param maxPixels the largest width × height decoded; larger images are refused before decoding */
    public ImageDecoder(long maxPixels) {
        this(DecodeOptions.defaults().withMaxPixels(maxPixels));
    }

    public DecodeOptions options() {
        return options;
    }

    /** The whole image at full resolution, as displayed. Prefer {@link #open} and a subsampled read. */
    public DecodedImage decode(byte[] bytes) {
        try (SourceImage source = open(bytes)) {
            return source.readAll();
        }
    }

    /**
     * The displayed image decoded every k-th pixel, k the smallest step that brings the long side to
     * at most {@code maxSide} (k = 1 for smaller images): a thumbnail that never needs the full raster.
     * Original-image coordinates divide by {@code step()} to land on it.
     */
    public DecodedRegion thumbnail(byte[] bytes, int maxSide) {
        try (SourceImage source = open(bytes)) {
            int longSide = Math.max(source.width(), source.height());
            int step = Math.max(1, (longSide + maxSide - 1) / maxSide);
            return source.read(0, 0, source.width(), source.height(), step);
        }
    }

    /** Reads and checks the header; the caller closes the result. */
    public SourceImage open(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new ImageException("decode", "empty file (0 bytes)");
        }
        ImageInputStream in = null;
        ImageReader reader = null;
        try {
            // the bytes as they are: ImageIO's stream look-up wrapped them in a block cache (copies, per image)
            in = new ByteArrayImageInputStream(bytes);
            reader = ImagePlugins.readerFor(in);
            if (reader == null) {
                throw new ImageException("decode", "not a recognised image format (" + FORMATS + ")");
            }
            String format = reader.getFormatName().toUpperCase(Locale.ROOT);
            int width;
            int height;
            try {
                reader.setInput(in, true, true);
                width = reader.getWidth(0);
                height = reader.getHeight(0);
            } catch (IOException | RuntimeException e) {
                throw new ImageException("decode", "corrupt or truncated " + format + ": " + describe(e), e);
            }
            checkCaps(width, height);
            Orientation orientation = options.applyExif() ? ExifOrientation.read(bytes) : Orientation.NORMAL;
            SourceImage source = new SourceImage(in, reader, format, width, height, orientation);
            in = null;
            reader = null;
            return source;
        } catch (IOException e) {
            throw new ImageException("decode", "cannot read image bytes: " + describe(e), e);
        } finally {
            if (reader != null) {
                reader.dispose();
            }
            if (in != null) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // byte-array stream
                }
            }
        }
    }

    private void checkCaps(long width, long height) {
        if (width * height > options.maxPixels()) {
            throw new ImageException("decode", String.format(Locale.ROOT,
                    "image is %d×%d = %.1f MP, above the decode cap of %.1f MP (option decode.max_pixels)",
                    width, height, width * height / 1e6, options.maxPixels() / 1e6));
        }
        double ratio = (double) Math.max(width, height) / Math.max(1, Math.min(width, height));
        if (ratio > options.maxAspectRatio()) {
            throw new ImageException("decode", String.format(Locale.ROOT,
                    "image is %d×%d, an aspect ratio of %.1f:1, above the limit of %.1f:1 (option decode.max_aspect_ratio)",
                    width, height, ratio, options.maxAspectRatio()));
        }
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : " (" + m + ")");
    }
}
