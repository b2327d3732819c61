package dev.vitex.core.image;

import java.io.Serializable;

/**
 * How images are decoded (options {@code decode.*}).
 *
 * @param maxPixels the largest width × height decoded, checked from the header before decoding
 * @param maxAspectRatio the largest long side / short side accepted (a 1×10,000 strip is refused)
 * @param applyExif turn the image as a viewer shows it (EXIF Orientation); false = stored pixels as they are
 */
public record DecodeOptions(long maxPixels, double maxAspectRatio, boolean applyExif) implements Serializable {
    public static final long DEFAULT_MAX_PIXELS = 100_000_000L;
    public static final double DEFAULT_MAX_ASPECT_RATIO = 20.0;

    public DecodeOptions {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("max_pixels must be ≥ 1, got " + maxPixels);
        }
        if (!(maxAspectRatio >= 1)) {
            throw new IllegalArgumentException("max_aspect_ratio must be ≥ 1, got " + maxAspectRatio);
        }
    }

    public static DecodeOptions defaults() {
        return new DecodeOptions(DEFAULT_MAX_PIXELS, DEFAULT_MAX_ASPECT_RATIO, true);
    }

    public DecodeOptions withMaxPixels(long pixels) {
        return new DecodeOptions(pixels, maxAspectRatio, applyExif);
    }
}
